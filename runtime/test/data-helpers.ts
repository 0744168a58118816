// Shared helpers of the data tests: fixture paths, DataConfig builders, and
// generated binary fixtures (IDX files, PNG/JPEG images) in a temporary folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { DataConfig, SourceConfig } from '@regnet/compiler';

/** runtime/test/fixtures (tests run from runtime/dist/test). */
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function source(kind: SourceConfig['kind'], args: SourceConfig['args'], inputShape: number[], classes: number, labels?: string[]): SourceConfig {
  const s: SourceConfig = { kind, args, inputShape, classes };
  if (labels) s.labels = labels;
  return s;
}

export function dataConfig(src: SourceConfig, overrides: Partial<DataConfig> = {}): DataConfig {
  return {
    source: src,
    validation: { fraction: 0 },
    shuffle: false,
    labelNoise: 0,
    normalize: 'none',
    augment: [],
    inputShape: src.inputShape,
    classes: src.classes,
    inputKind: src.inputShape.length === 3 ? 'image' : src.kind === 'text' ? 'tokens' : 'vector',
    ...overrides,
  };
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-data-'));
  tempDirs.push(dir);
  return dir;
}

/** An IDX file: magic 0 0 type rank, big-endian dims, then the bytes. */
export function idxBytes(dims: number[], values: number[], type = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  let body: Buffer;
  if (type === 0x08) body = Buffer.from(values);
  else {
    body = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => body.writeFloatBE(v, 4 * i));
  }
  return Buffer.concat([header, body]);
}

export function writeIdx(dir: string, name: string, dims: number[], values: number[], gzip = false, type = 0x08): string {
  const path = join(dir, name);
  const bytes = idxBytes(dims, values, type);
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/** A PNG whose pixel (i, j) has RGB = rgb(i, j), alpha 255. */
export function pngBytes(h: number, w: number, rgb: (i: number, j: number) => [number, number, number]): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [r, g, b] = rgb(i, j);
      png.data.set([r, g, b, 255], (i * w + j) * 4);
    }
  }
  return PNG.sync.write(png);
}

export function jpegBytes(h: number, w: number, rgb: (i: number, j: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(h * w * 4);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [r, g, b] = rgb(i, j);
      data.set([r, g, b, 255], (i * w + j) * 4);
    }
  }
  return jpeg.encode({ data, width: w, height: h }, 100).data;
}

/** images/<class>/<file>: cats (PNG, red) and dogs (JPEG, uniform gray 128), 4x6 each. */
export function writeImageFolder(dir: string): string {
  const root = join(dir, 'pets');
  mkdirSync(join(root, 'cat'), { recursive: true });
  mkdirSync(join(root, 'dog'), { recursive: true });
  writeFileSync(join(root, 'cat', 'a.png'), pngBytes(4, 6, (i, j) => [255, i * 10, j * 10]));
  writeFileSync(join(root, 'cat', 'b.PNG'), pngBytes(4, 6, () => [0, 0, 0]));
  writeFileSync(join(root, 'cat', 'notes.txt'), 'not an image');
  writeFileSync(join(root, 'dog', 'c.jpg'), jpegBytes(4, 6, () => [128, 128, 128]));
  return root;
}
