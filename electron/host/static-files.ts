import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { mimeTypeFor } from '../core/static/mime-types.ts';
import { sendPage, withSecurityHeaders } from './replies.ts';

export type StaticLookup =
  { kind: 'file'; file: string; size: number } | { kind: 'refused' } | { kind: 'missing' };

/**
 * Serves the built renderer and nothing outside it. The URL path is decoded once and refused if it
 * could climb out (`..`, backslashes, NUL, dot-files) before it touches the file system; the real
 * path (symlinks followed) must still be inside the root. Unknown paths without an extension are
 * client-side routes and get index.html; unknown assets get 404.
 */
export class StaticFiles {
  private readonly root: string;
  private realRoot: string | null = null;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async indexFile(): Promise<string | null> {
    const found = await this.lookupFile('index.html');
    return found.kind === 'file' ? found.file : null;
  }

  async lookup(pathname: string): Promise<StaticLookup> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return { kind: 'refused' };
    }
    if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\'))
      return { kind: 'refused' };
    const segments = decoded.split('/').filter((segment) => segment !== '');
    if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return { kind: 'refused' };
    const relative = segments.length === 0 ? 'index.html' : segments.join('/');
    const found = await this.lookupFile(relative);
    if (found.kind !== 'missing') return found;
    const last = segments.at(-1) ?? '';
    if (extname(last) !== '') return found;
    return this.lookupFile('index.html');
  }

  private async lookupFile(relative: string): Promise<StaticLookup> {
    this.realRoot ??= await realpath(this.root).catch(() => this.root);
    const candidate = resolve(this.root, relative);
    if (!candidate.startsWith(this.root + sep)) return { kind: 'refused' };
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      return { kind: 'missing' };
    }
    if (!real.startsWith(this.realRoot + sep)) return { kind: 'refused' };
    try {
      const info = await stat(real);
      if (info.isDirectory()) return this.lookupFile(join(relative, 'index.html'));
      if (!info.isFile()) return { kind: 'refused' };
      return { kind: 'file', file: real, size: info.size };
    } catch {
      return { kind: 'missing' };
    }
  }

  async serve(pathname: string, res: ServerResponse, head: boolean): Promise<StaticLookup['kind']> {
    const found = await this.lookup(pathname);
    if (found.kind !== 'file') {
      // Refused and missing look the same from outside, so probing says nothing about the disk.
      sendPage(res, 404, 'Not found', 'There is no such page in the console.', head);
      return found.kind;
    }
    withSecurityHeaders(res);
    const isHtml = found.file.endsWith('.html');
    res.writeHead(200, {
      'Content-Type': mimeTypeFor(found.file),
      'Content-Length': found.size,
      // The HTML names the hashed asset files, so it must never be stale; the assets may be revalidated.
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
    });
    if (head) {
      res.end();
      return found.kind;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(found.file);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', () => done());
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
    return found.kind;
  }
}
