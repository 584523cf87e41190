import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/**
 * The app icon, drawn from one list of shapes into both resources/icon.svg and a 512x512
 * resources/icon.png (electron-builder derives .ico and .icns from the PNG). No image tools and
 * no randomness: the same source always gives the same bytes, and a test holds the committed
 * files to that.
 *
 *   node scripts/generate-icon.ts          write both files
 *   node scripts/generate-icon.ts --check  exit 1 if the committed files are stale
 */
export const ICON_SIZE = 512;

type Rgba = readonly [number, number, number, number];
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; radius: number; fill: string }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string }
  | { kind: 'stroke'; points: ReadonlyArray<readonly [number, number]>; width: number; color: string };

const BRAND_BLUE = '#0f6cbd';
const PALE_BLUE = '#cfe4fa';
const DARK_BLUE = '#0a4a82';
const WHITE = '#ffffff';
const GREEN = '#107c10';

/** A calendar page on the brand blue tile, with a green "migrated" check badge. */
export const ICON_SHAPES: readonly Shape[] = [
  { kind: 'rect', x: 16, y: 16, width: 480, height: 480, radius: 104, fill: BRAND_BLUE },
  { kind: 'rect', x: 100, y: 124, width: 312, height: 284, radius: 28, fill: WHITE },
  { kind: 'rect', x: 100, y: 124, width: 312, height: 72, radius: 28, fill: PALE_BLUE },
  { kind: 'rect', x: 100, y: 168, width: 312, height: 28, radius: 0, fill: PALE_BLUE },
  { kind: 'rect', x: 170, y: 96, width: 28, height: 64, radius: 14, fill: DARK_BLUE },
  { kind: 'rect', x: 314, y: 96, width: 28, height: 64, radius: 14, fill: DARK_BLUE },
  ...[0, 1, 2].flatMap((row) =>
    [0, 1, 2].map((column): Shape => ({
      kind: 'rect',
      x: 136 + column * 84,
      y: 224 + row * 56,
      width: 56,
      height: 36,
      radius: 8,
      fill: PALE_BLUE,
    })),
  ),
  { kind: 'circle', cx: 380, cy: 380, r: 92, fill: WHITE },
  { kind: 'circle', cx: 380, cy: 380, r: 78, fill: GREEN },
  {
    kind: 'stroke',
    points: [
      [340, 382],
      [368, 410],
      [420, 352],
    ],
    width: 22,
    color: WHITE,
  },
];

function parseHex(hex: string): Rgba {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255];
}

function insideRoundedRect(px: number, py: number, s: Extract<Shape, { kind: 'rect' }>): boolean {
  if (px < s.x || py < s.y || px > s.x + s.width || py > s.y + s.height) return false;
  const r = s.radius;
  const cx = Math.min(Math.max(px, s.x + r), s.x + s.width - r);
  const cy = Math.min(Math.max(py, s.y + r), s.y + s.height - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

function distanceToSegment(
  px: number,
  py: number,
  a: readonly [number, number],
  b: readonly [number, number],
): number {
  const [ax, ay] = a;
  const [bx, by] = b;
  const lengthSquared = (bx - ax) ** 2 + (by - ay) ** 2;
  const t =
    lengthSquared === 0
      ? 0
      : Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / lengthSquared));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

function colourAt(px: number, py: number, shapes: readonly Shape[]): Rgba {
  let colour: Rgba = [0, 0, 0, 0];
  for (const shape of shapes) {
    if (shape.kind === 'rect' && insideRoundedRect(px, py, shape)) colour = parseHex(shape.fill);
    else if (shape.kind === 'circle' && (px - shape.cx) ** 2 + (py - shape.cy) ** 2 <= shape.r ** 2)
      colour = parseHex(shape.fill);
    else if (shape.kind === 'stroke') {
      for (let i = 1; i < shape.points.length; i += 1) {
        const a = shape.points[i - 1];
        const b = shape.points[i];
        if (a && b && distanceToSegment(px, py, a, b) <= shape.width / 2) colour = parseHex(shape.color);
      }
    }
  }
  return colour;
}

/** RGBA pixels, 4x4 supersampled so edges are smooth. */
export function rasterise(shapes: readonly Shape[], size: number): Uint8Array {
  const grid = 4;
  const pixels = new Uint8Array(size * size * 4);
  const scale = ICON_SIZE / size;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy += 1) {
        for (let sx = 0; sx < grid; sx += 1) {
          const [cr, cg, cb, ca] = colourAt(
            (x + (sx + 0.5) / grid) * scale,
            (y + (sy + 0.5) / grid) * scale,
            shapes,
          );
          // Weight colour by coverage so transparent samples do not darken the edges.
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const offset = (y * size + x) * 4;
      pixels[offset] = a === 0 ? 0 : Math.round(r / a);
      pixels[offset + 1] = a === 0 ? 0 : Math.round(g / a);
      pixels[offset + 2] = a === 0 ? 0 : Math.round(b / a);
      pixels[offset + 3] = Math.round(a / (grid * grid));
    }
  }
  return pixels;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A minimal, valid PNG: 8-bit RGBA, no interlace, filter 0 on every row. */
export function encodePng(pixels: Uint8Array, size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0;
    rows.set(pixels.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export function renderSvg(shapes: readonly Shape[]): string {
  const body = shapes.map((shape) => {
    switch (shape.kind) {
      case 'rect':
        return `  <rect x="${shape.x}" y="${shape.y}" width="${shape.width}" height="${shape.height}" rx="${shape.radius}" fill="${shape.fill}"/>`;
      case 'circle':
        return `  <circle cx="${shape.cx}" cy="${shape.cy}" r="${shape.r}" fill="${shape.fill}"/>`;
      case 'stroke':
        return `  <polyline points="${shape.points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="${shape.color}" stroke-width="${shape.width}" stroke-linecap="round" stroke-linejoin="round"/>`;
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="0 0 ${ICON_SIZE} ${ICON_SIZE}">`,
    '  <title>Calendar Sync Migration Console</title>',
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export function renderIconFiles(): { png: Buffer; svg: string } {
  return { png: encodePng(rasterise(ICON_SHAPES, ICON_SIZE), ICON_SIZE), svg: renderSvg(ICON_SHAPES) };
}

export const RESOURCES_DIR = join(import.meta.dirname, '..', 'resources');

function main(argv: readonly string[]): number {
  const { png, svg } = renderIconFiles();
  const pngPath = join(RESOURCES_DIR, 'icon.png');
  const svgPath = join(RESOURCES_DIR, 'icon.svg');
  if (argv.includes('--check')) {
    const read = (path: string): Buffer | null => {
      try {
        return readFileSync(path);
      } catch {
        return null;
      }
    };
    const stale = [
      [pngPath, png],
      [svgPath, Buffer.from(svg)],
    ].filter(([path, expected]) => !read(path as string)?.equals(expected as Buffer));
    for (const [path] of stale) console.error(`${String(path)} is stale: run node scripts/generate-icon.ts`);
    return stale.length === 0 ? 0 : 1;
  }
  writeFileSync(pngPath, png);
  writeFileSync(svgPath, svg);
  console.log(`wrote ${pngPath} (${png.length} bytes) and ${svgPath}`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
