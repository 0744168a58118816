// `images(path, size: [h, w], channels: 3)`: one sub-folder per class (classes in
// sorted folder-name order, or the compiler's labels), each holding PNG or JPEG
// files (.png .jpg .jpeg, any case; other files are skipped). Decoded with pngjs and
// jpeg-js, values scaled to [0, 1]; `channels: 1` converts to gray (ITU-R 601 luma),
// `channels: 3` keeps RGB; alpha is dropped.
// Size: when `size` is written, every image is resized to it (bilinear, half-pixel
// centres); when it is not, every image must have the size the compiler reported
// (the first image's), and one that differs is an error naming the file.
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { join } from 'node:path';
import { allowedFolders, isAllowed, type DataAccess } from '@regnet/compiler';
import { DataError } from '../errors.js';
import { listFolder, readDataFile } from '../files.js';
import { resizeBilinear } from '../pixels.js';
import type { SourceResult } from './source.js';

const IMAGE_FILE = /\.(png|jpe?g)$/i;

export interface ImagesOptions {
  path: string;
  /** Resize target when `size` was written. */
  size?: [number, number];
  /** Required size when `size` was not written ([h, w] of the compiler's input shape). */
  expectedSize?: [number, number];
  channels: 1 | 3;
  labels?: string[];
  /** When given, every image file must lie (symlinks resolved) in an allowed folder. */
  access?: DataAccess;
}

export function loadImages(options: ImagesOptions): SourceResult {
  const { path, channels } = options;
  const classFolders = listFolder(path).filter((e) => e.isDirectory).map((e) => e.name);
  if (classFolders.length === 0) throw new DataError(path, undefined, 'no class sub-folders (expected one folder of images per class)');
  const labels = options.labels ?? classFolders;
  const index = new Map(labels.map((l, i) => [l, i]));
  const files: { file: string; label: number }[] = [];
  for (const folder of classFolders) {
    const label = index.get(folder);
    if (label === undefined) {
      throw new DataError(join(path, folder), undefined, `unknown label "${folder}" (known labels: ${labels.join(', ')})`);
    }
    for (const entry of listFolder(join(path, folder))) {
      if (!entry.isDirectory && IMAGE_FILE.test(entry.name)) files.push({ file: join(path, folder, entry.name), label });
    }
  }
  if (files.length === 0) throw new DataError(path, undefined, 'no PNG or JPEG files in the class folders');
  if (options.access) {
    const folders = allowedFolders(options.access);
    const outside = files.find(({ file }) => !isAllowed(file, options.access!, folders));
    if (outside) throw new DataError(outside.file, undefined, 'refused: a link to a file outside the allowed folders');
  }

  let size = options.size ?? options.expectedSize;
  const images: Float32Array[] = [];
  for (const { file } of files) {
    const decoded = decodeImage(file, channels);
    if (!size) size = [decoded.height, decoded.width];
    const [h, w] = size;
    if (decoded.height === h && decoded.width === w) images.push(decoded.data);
    else if (options.size) images.push(resizeBilinear(decoded.data, decoded.height, decoded.width, channels, h, w));
    else {
      throw new DataError(file, undefined, `image is ${decoded.height}x${decoded.width}, expected ${h}x${w} (h x w; write size: [h, w] to resize)`);
    }
  }
  const [h, w] = size!;
  const per = h * w * channels;
  const x = new Float32Array(files.length * per);
  images.forEach((img, i) => x.set(img, i * per));
  const y = Int32Array.from(files, (f) => f.label);
  return { examples: { kind: 'dense', n: files.length, exampleShape: [h, w, channels], x, y, targetSize: 1 }, labels };
}

export interface DecodedImage {
  width: number;
  height: number;
  /** [height, width, channels] in [0, 1]. */
  data: Float32Array;
}

export function decodeImage(file: string, channels: 1 | 3): DecodedImage {
  const buf = readDataFile(file);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    const isPng = buf.length >= 4 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47;
    const isJpeg = buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xd8;
    if (isPng) rgba = PNG.sync.read(buf);
    else if (isJpeg) rgba = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
    else throw new Error('neither PNG nor JPEG data');
  } catch (e) {
    throw new DataError(file, undefined, `cannot decode image: ${(e as Error).message}`);
  }
  const { width, height } = rgba;
  const data = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const r = rgba.data[4 * p];
    const g = rgba.data[4 * p + 1];
    const b = rgba.data[4 * p + 2];
    if (channels === 1) data[p] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    else {
      data[3 * p] = r / 255;
      data[3 * p + 1] = g / 255;
      data[3 * p + 2] = b / 255;
    }
  }
  return { width, height, data };
}
