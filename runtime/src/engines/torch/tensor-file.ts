// Named tensors on disk, the torch engine's exchange format with its Python side:
// NAME.json ({ tensors: [{ name, dtype, shape, offset }] }) + NAME.bin (raw little-endian
// values). Plain JSON and bytes, so an export carries data, never anything executable
// (python/tensors.py reads and writes the same files).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

interface ManifestEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
}

export function writeTensors(path: string, tensors: NamedTensor[]): void {
  const entries: ManifestEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    entries.push({ name: t.name, dtype: t.values instanceof Int32Array ? 'int32' : 'float32', shape: t.shape, offset });
    offset += t.values.byteLength;
  }
  const bytes = new Uint8Array(offset);
  tensors.forEach((t, i) => bytes.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), entries[i]!.offset));
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(`${tmp}.bin`, bytes);
  writeFileSync(`${tmp}.json`, JSON.stringify({ tensors: entries }));
  renameSync(`${tmp}.bin`, `${path}.bin`);
  renameSync(`${tmp}.json`, `${path}.json`);
}

export function readTensors(path: string): Map<string, NamedTensor> {
  const manifest = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { tensors: ManifestEntry[] };
  const raw = readFileSync(`${path}.bin`);
  const out = new Map<string, NamedTensor>();
  for (const e of manifest.tensors) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    // Copy into an aligned buffer: the file's bytes may start at any offset.
    const bytes = raw.subarray(e.offset, e.offset + count * 4);
    const aligned = new Uint8Array(bytes).buffer;
    const values = e.dtype === 'int32' ? new Int32Array(aligned) : new Float32Array(aligned);
    out.set(e.name, { name: e.name, shape: e.shape, values });
  }
  return out;
}
