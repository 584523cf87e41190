import { randomBytes, randomInt } from 'node:crypto';
import type { DemoUserKey } from './directory.ts';

/**
 * In-memory state of the identity provider: pending sign-ins, authorization codes, refresh tokens,
 * device codes and browser sessions. Every secret handed out is 256 bits of randomness; lifetimes
 * follow Entra's (codes 10 min, device codes 15 min) and are measured on the injected clock.
 */

export const AUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const DEVICE_CODE_LIFETIME_MS = 15 * 60 * 1000;
export const PENDING_SIGN_IN_LIFETIME_MS = 30 * 60 * 1000;

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseMode: 'query' | 'form_post';
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  loginHint: string | undefined;
}

export interface PendingSignIn extends AuthorizationRequest {
  expiresAt: number;
}

export interface AuthorizationCode extends AuthorizationRequest {
  userKey: DemoUserKey;
  expiresAt: number;
}

export interface RefreshGrant {
  clientId: string;
  userKey: DemoUserKey;
  scopes: string[];
  expiresAt: number;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'redeemed';

export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  intervalSeconds: number;
  /** Monotonic milliseconds of the last poll, to answer slow_down (RFC 8628 §3.5). */
  lastPollAt: number | undefined;
  status: DeviceCodeStatus;
  userKey: DemoUserKey | undefined;
}

export function opaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

// RFC 8628 §6.1: a user code from a small unambiguous alphabet (no vowels, no look-alikes).
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function normalizeUserCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z]/g, '');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}

export class GrantStore {
  readonly pendingSignIns = new Map<string, PendingSignIn>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  readonly deviceGrants = new Map<string, DeviceGrant>();
  readonly sessions = new Map<string, DemoUserKey>();

  /** Single use: a code is removed the moment anyone presents it, right or wrong. */
  takeCode(code: string): AuthorizationCode | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant;
  }

  /** Rotation: the presented refresh token stops working whether or not the redemption succeeds. */
  takeRefreshToken(token: string): RefreshGrant | undefined {
    const grant = this.refreshTokens.get(token);
    this.refreshTokens.delete(token);
    return grant;
  }

  findDeviceGrantByUserCode(userCode: string): DeviceGrant | undefined {
    const wanted = normalizeUserCode(userCode);
    for (const grant of this.deviceGrants.values()) if (grant.userCode === wanted) return grant;
    return undefined;
  }

  /** Drops whatever has expired so a long demo session does not grow without bound. */
  sweep(nowMs: number): void {
    for (const [key, value] of this.pendingSignIns)
      if (value.expiresAt <= nowMs) this.pendingSignIns.delete(key);
    for (const [key, value] of this.codes) if (value.expiresAt <= nowMs) this.codes.delete(key);
    // Expired refresh tokens linger a day so their redemption can say "expired" rather than "unknown".
    for (const [key, value] of this.refreshTokens)
      if (value.expiresAt + 24 * 60 * 60 * 1000 <= nowMs) this.refreshTokens.delete(key);
    // Expired device grants stay a while so a poll can still be told expired_token, not invalid_grant.
    for (const [key, value] of this.deviceGrants)
      if (value.expiresAt + DEVICE_CODE_LIFETIME_MS <= nowMs) this.deviceGrants.delete(key);
  }
}
