import { createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

/** JSON Web Tokens, RS256 only: the one algorithm Entra ID signs access and id tokens with. */

export type JwtClaims = Record<string, unknown>;

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
}

export function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function base64UrlDecode(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

export function signJwt(privateKey: KeyObject, kid: string, claims: JwtClaims): string {
  const header: JwtHeader = { typ: 'JWT', alg: 'RS256', kid };
  const signingInput = `${base64UrlEncode(JSON.stringify(header))}.${base64UrlEncode(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${base64UrlEncode(signature)}`;
}

export type DecodedJwt =
  { ok: true; header: JwtHeader; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'bad_signature' };

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(base64UrlDecode(segment).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the signature with the given key and returns header and claims. The algorithm is pinned
 * to RS256 whatever the header says, so `alg: none` or an HMAC confusion attack cannot pass.
 */
export function verifyJwtSignature(publicKey: KeyObject, token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart);
  const claims = parseJson(claimsPart);
  if (!isRecord(header) || !isRecord(claims) || typeof header.alg !== 'string')
    return { ok: false, reason: 'malformed' };
  if (header.alg !== 'RS256') return { ok: false, reason: 'bad_signature' };
  const valid = createVerify('RSA-SHA256')
    .update(`${headerPart}.${claimsPart}`)
    .verify(publicKey, base64UrlDecode(signaturePart));
  if (!valid) return { ok: false, reason: 'bad_signature' };
  const typedHeader: JwtHeader = { alg: header.alg };
  if (typeof header.typ === 'string') typedHeader.typ = header.typ;
  if (typeof header.kid === 'string') typedHeader.kid = header.kid;
  return { ok: true, header: typedHeader, claims };
}

/** The public half as a JSON Web Key, the shape MSAL and every JOSE library read from jwks_uri. */
export function publicJwk(publicKey: KeyObject, kid: string): Record<string, string> {
  const jwk = (publicKey.type === 'public' ? publicKey : createPublicKey(publicKey)).export({
    format: 'jwk',
  });
  return { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: String(jwk.n), e: String(jwk.e) };
}
