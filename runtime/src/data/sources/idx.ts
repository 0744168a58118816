// `idx(images: path, labels: path)`: the IDX format of MNIST / Fashion-MNIST
// (http://yann.lecun.com/exdb/mnist/): magic 0x0000 TT DD, DD big-endian uint32
// dimensions, then the values, big-endian. Gzipped files (`.gz`, detected by their
// magic bytes) are inflated with node's zlib. Unsigned-byte images are scaled to
// [0, 1]; 2-D images get a channel axis ([N, h, w] -> [N, h, w, 1]).
import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { readDataFile } from '../files.js';
import type { SourceResult } from './source.js';

interface IdxArray {
  dims: number[];
  data: Float64Array | Float32Array | Uint8Array | Int8Array | Int16Array | Int32Array;
  type: number;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'unsigned byte', bytes: 1 },
  0x09: { name: 'signed byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
};

export function readIdx(path: string): IdxArray {
  let buf = readDataFile(path);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new DataError(path, undefined, `cannot inflate gzip data: ${(e as Error).message}`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in TYPES)) {
    throw new DataError(path, undefined, 'not an IDX file (bad magic number)');
  }
  const type = buf[2];
  const rank = buf[3];
  const headerBytes = 4 + 4 * rank;
  if (rank === 0 || buf.length < headerBytes) throw new DataError(path, undefined, 'not an IDX file (truncated header)');
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(buf.readUInt32BE(4 + 4 * k));
  const count = dims.reduce((a, b) => a * b, 1);
  const { bytes } = TYPES[type];
  const have = buf.length - headerBytes;
  if (have < count * bytes) {
    throw new DataError(path, undefined, `truncated: dimensions [${dims.join(', ')}] need ${count * bytes} bytes of data, found ${have}`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset + headerBytes, count * bytes);
  let data: IdxArray['data'];
  switch (type) {
    case 0x08:
      data = new Uint8Array(buf.buffer.slice(buf.byteOffset + headerBytes, buf.byteOffset + headerBytes + count));
      break;
    case 0x09:
      data = new Int8Array(buf.buffer.slice(buf.byteOffset + headerBytes, buf.byteOffset + headerBytes + count));
      break;
    case 0x0b:
      data = Int16Array.from({ length: count }, (_, i) => view.getInt16(2 * i));
      break;
    case 0x0c:
      data = Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i));
      break;
    case 0x0d:
      data = Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i));
      break;
    default:
      data = Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i));
  }
  return { dims, data, type };
}

export interface IdxOptions {
  images: string;
  labels: string;
  classes: number;
}

export function loadIdx(options: IdxOptions): SourceResult {
  const images = readIdx(options.images);
  const labels = readIdx(options.labels);
  const n = images.dims[0];
  if (labels.dims[0] !== n) {
    throw new DataError(options.labels, undefined, `${labels.dims[0]} labels for ${n} images in ${options.images}`);
  }
  const exampleShape = images.dims.length === 3 ? [...images.dims.slice(1), 1] : images.dims.slice(1);
  if (exampleShape.length === 0) exampleShape.push(1);
  const scale = images.type === 0x08 ? 1 / 255 : 1;
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] * scale;

  const perExample = labels.dims.slice(1).reduce((a, b) => a * b, 1);
  let y: Int32Array | Float32Array;
  if (options.classes === 0) {
    y = Float32Array.from(labels.data);
  } else {
    if (perExample !== 1) throw new DataError(options.labels, undefined, `expected one label per example, found ${perExample}`);
    y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = labels.data[i];
      if (!Number.isInteger(v) || v < 0 || v >= options.classes) {
        throw new DataError(options.labels, undefined, `the label of example ${i} is not a class index in 0..${options.classes - 1}`);
      }
      y[i] = v;
    }
  }
  return { examples: { kind: 'dense', n, exampleShape, x, y, targetSize: options.classes === 0 ? perExample : 1 } };
}
