import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, ICON_SIZE, renderIconFiles, RESOURCES_DIR } from './generate-icon.ts';

interface Chunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function readChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    chunks.push({ type, data, crcOk: crc === crc32(png.subarray(offset + 4, offset + 8 + length)) });
    offset += 12 + length;
  }
  return chunks;
}

function pixelAt(png: Buffer, x: number, y: number): number[] {
  const chunks = readChunks(png);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = ICON_SIZE * 4 + 1;
  const start = y * stride + 1 + x * 4;
  return [...raw.subarray(start, start + 4)];
}

describe('icon generator', () => {
  const { png, svg } = renderIconFiles();

  it('writes a valid 512x512 RGBA PNG with correct checksums', () => {
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = readChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const header = chunks[0]?.data;
    expect(header?.readUInt32BE(0)).toBe(512);
    expect(header?.readUInt32BE(4)).toBe(512);
    expect([...(header?.subarray(8) ?? [])]).toEqual([8, 6, 0, 0, 0]);
    const raw = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
    expect(raw.length).toBe(512 * (512 * 4 + 1));
  });

  it('draws what the SVG says: transparent corners, blue tile, white page, green badge', () => {
    expect(pixelAt(png, 2, 2)).toEqual([0, 0, 0, 0]);
    expect(pixelAt(png, 40, 256)).toEqual([0x0f, 0x6c, 0xbd, 255]);
    expect(pixelAt(png, 120, 390)).toEqual([255, 255, 255, 255]);
    expect(pixelAt(png, 380, 440)).toEqual([0x10, 0x7c, 0x10, 255]);
    expect(svg).toContain('fill="#0f6cbd"');
    expect(svg).toContain('viewBox="0 0 512 512"');
  });

  it('is reproducible and the committed resources match the generator', () => {
    expect(renderIconFiles().png.equals(png)).toBe(true);
    expect(readFileSync(join(RESOURCES_DIR, 'icon.png')).equals(png)).toBe(true);
    expect(readFileSync(join(RESOURCES_DIR, 'icon.svg'), 'utf8')).toBe(svg);
  });

  it('encodes any square pixel buffer (a 2x2 smoke case)', () => {
    const small = encodePng(new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 0]), 2);
    const raw = inflateSync(readChunks(small)[1]?.data ?? Buffer.alloc(0));
    expect([...raw]).toEqual([0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 255, 255, 0, 0, 0, 0]);
  });
});
