/**
 * Reads a reply's body up to a bound: a platform or Graph reply larger than any page the contract
 * allows is refused as it streams in (a 2 GiB reply must not take the process to gigabytes).
 */
export class ReplyTooLarge extends Error {
  readonly limitBytes: number;
  readonly receivedBytes: number;
  constructor(limitBytes: number, receivedBytes: number) {
    super(`The reply is larger than ${formatBytes(limitBytes)} (at least ${formatBytes(receivedBytes)}).`);
    this.name = 'ReplyTooLarge';
    this.limitBytes = limitBytes;
    this.receivedBytes = receivedBytes;
  }
}

/** The whole body as bytes, or `ReplyTooLarge` as soon as it passes `maxBytes` (Content-Length checked first). */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ReplyTooLarge(maxBytes, declared);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ReplyTooLarge(maxBytes, size);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export async function readTextCapped(response: Response, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBodyCapped(response, maxBytes));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${Math.round((bytes / 1024 ** 3) * 10) / 10} GiB`;
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
