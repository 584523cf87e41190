import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp.ts';
import { createMemoryLogger } from '../core/log/logger.ts';
import {
  APP_SCHEME_PRIVILEGES,
  createAppRequestHandler,
  registerAppScheme,
  serveRendererOverAppProtocol,
} from './app-protocol.ts';

const SECRET = 'sentinel-outside-renderer-7f3a';
let base: string;
let rendererDir: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  mkdirSync(join(rendererDir, 'empty-dir'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), 'w');
  writeFileSync(join(rendererDir, 'assets', 'blob.xyz'), 'b');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(base, 'renderer-sibling.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'escape.txt'));
});

function handler() {
  const logger = createMemoryLogger();
  return { handle: createAppRequestHandler({ rendererDir, logger }), logger };
}

async function get(url: string, method = 'GET') {
  const { handle } = handler();
  const response = await handle(new Request(url, { method }));
  return { response, body: await response.text() };
}

describe('app:// protocol', () => {
  it('registers app as standard, secure and fetch-capable, and nothing more', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves index.html with the CSP and hardening headers', async () => {
    const { response, body } = await get('app://console/index.html');
    expect(response.status).toBe(200);
    expect(body).toContain('<title>console</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the root as index.html and assets with their MIME types', async () => {
    expect((await get('app://console/')).body).toContain('<title>console</title>');
    const cases: Array<[string, string]> = [
      ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['assets/index-abc.css', 'text/css; charset=utf-8'],
      ['assets/logo.svg', 'image/svg+xml'],
      ['assets/font.woff2', 'font/woff2'],
      ['assets/blob.xyz', 'application/octet-stream'],
    ];
    for (const [path, type] of cases) {
      const { response } = await get(`app://console/${path}?v=1#frag`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe(type);
      expect(response.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers HEAD without a body', async () => {
    const { response, body } = await get('app://console/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(body).toBe('');
  });

  it('refuses traversal, plain or encoded, and never returns a byte from outside the renderer folder', async () => {
    const attempts = [
      'app://console/../secret.txt',
      'app://console/%2e%2e/secret.txt',
      'app://console/%2E%2E/%2e%2e/secret.txt',
      'app://console/..%2fsecret.txt',
      'app://console/assets/..%2f..%2fsecret.txt',
      'app://console/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://console/..%5csecret.txt',
      'app://console/assets/..\\..\\secret.txt',
      'app://console/%252e%252e/secret.txt',
      'app://console/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      'app://console/C:%5cWindows%5cwin.ini',
      'app://console/assets/escape.txt',
    ];
    for (const url of attempts) {
      const { response, body } = await get(url);
      expect([403, 404], url).toContain(response.status);
      expect(body, url).not.toContain(SECRET);
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await get('app://console/..%2fsecret.txt')).response.status).toBe(403);
    expect((await get('app://console/assets/escape.txt')).response.status).toBe(403);
  });

  it('answers 404 for missing files, folders and other hosts, 400 for bad encoding and NUL, 405 for writes', async () => {
    expect((await get('app://console/missing.js')).response.status).toBe(404);
    expect((await get('app://console/empty-dir')).response.status).toBe(404);
    expect((await get('app://other/index.html')).response.status).toBe(404);
    expect((await get('app://console:99/index.html')).response.status).toBe(404);
    expect((await get('app://console/%E0%A4%A')).response.status).toBe(400);
    expect((await get('app://console/index.html%00.js')).response.status).toBe(400);
    expect((await get('app://console/index.html', 'POST')).response.status).toBe(405);
  });

  it('logs refusals without crashing when the renderer folder does not exist', async () => {
    const logger = createMemoryLogger();
    const handle = createAppRequestHandler({ rendererDir: join(base, 'not-built'), logger });
    const response = await handle(new Request('app://console/index.html'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(logger.lines.some((line) => line.includes('app protocol refused'))).toBe(true);
  });

  it('installs itself with protocol.handle on the app scheme', async () => {
    const protocol = { handle: vi.fn() };
    serveRendererOverAppProtocol(protocol, { rendererDir, logger: createMemoryLogger() });
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const installed = protocol.handle.mock.calls[0]?.[1] as (request: Request) => Promise<Response>;
    expect((await installed(new Request('app://console/index.html'))).status).toBe(200);
  });
});
