// The run directory: everything one training run leaves behind, written so that a
// crash or Ctrl-C at any moment never leaves a half-written file (write a temp file,
// then rename it over the old one; rename is atomic on one file system).
//
//   DIR/spec.regnet     the spec as written
//   DIR/ir.json         the resolved graph IR (after --set / --epochs / --seed)
//   DIR/metrics.jsonl   one EpochRecord per line
//   DIR/summary.json    RunSummary (written when the run ends, however it ends)
//   DIR/model/          the resulting model (best or last epoch), tfjs layers format
//   DIR/state/          what --resume needs: state.json + model/ (last epoch's weights)
//   DIR/report.html, DIR/plots/*.svg   written by `regnetc report`
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GraphIR, JsonValue } from '@regnet/compiler';
import type { EpochRecord, TrainState } from '../contracts.js';

export const RUN_FILES = {
  spec: 'spec.regnet',
  ir: 'ir.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  model: 'model',
  state: 'state',
  stateJson: join('state', 'state.json'),
  stateModel: join('state', 'model'),
  stateBin: join('state', 'arrays.f32'),
  report: 'report.html',
  plots: 'plots',
} as const;

/** Metric values of one epoch or one evaluation, e.g. `{ loss: 0.3, accuracy: 0.9 }`. */
export type MetricValues = Record<string, number>;

export type StopReason = 'completed' | 'early_stopping' | 'non_finite' | 'interrupted';

/** summary.json */
export interface RunSummary {
  /** Model name from the spec. */
  name: string;
  /** Absolute path of the spec trained. */
  spec_file?: string;
  epochs_run: number;
  epochs_planned: number;
  /** Epoch picked by the checkpoint monitor (1-based). */
  best_epoch?: number;
  /** Epoch whose weights model/ holds; absent when nothing was saved. */
  model_epoch?: number;
  monitor: string;
  checkpoint: 'best' | 'last' | 'none';
  /** The metrics of the best epoch (train and validation), including `epoch`. */
  best?: MetricValues;
  /** The metrics of the last epoch run. */
  final?: MetricValues;
  /** Test-set metrics of model/'s weights, when the spec has a `test` source. */
  test?: MetricValues;
  /** Monte Carlo dropout on the test set (`mc_samples`): the averaged prediction's metrics, `pass_*` means and `*_std` spreads over the passes. */
  test_mc?: MetricValues;
  stop_reason: StopReason;
  non_finite?: { epoch: number; step: number };
  backend: string;
  seed: number;
  /** Resolved `let` constants (after --set): what a sweep varies. */
  constants: Record<string, JsonValue>;
  total_params: number;
  wall_seconds: number;
  started_at: string;
  finished_at: string;
  /** Number of times the run was resumed. */
  resumed?: number;
  /** The engine that trained the run: tfjs when absent. */
  engine?: 'tfjs' | 'torch';
  /** Processes that trained together (torch engine). */
  world_size?: number;
  torch_version?: string;
  /** Largest parameter difference between any process and process 0 at the end (torch, DDP). */
  rank_max_diff?: number;
  /** Times the torch process group restarted from a checkpoint after a failure. */
  restarts?: number;
}

/** state/state.json: the training state plus what the CLI needs to continue. */
export interface SavedState {
  train: TrainState;
  /** Wall time spent in earlier sessions, added to the summary's. */
  wall_seconds: number;
  started_at: string;
  resumed: number;
  /** Epoch whose weights model/ holds (best checkpoint on disk). */
  model_epoch?: number;
}

/** Number arrays at least this long are stored in state/arrays.f32 (when float32-exact). */
const BINARY_MIN = 64;
const F32_REF = '$f32';

/** Writes `data` to `path` via a temp file in the same folder and a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Fills a folder atomically: `fill` writes into a temp folder which then replaces
 * `path` (old folder moved aside first, since rename cannot replace a non-empty dir).
 */
export async function writeDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const old = `${path}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await fill(tmp);
  if (existsSync(path)) renameSync(path, old);
  renameSync(tmp, path);
  rmSync(old, { recursive: true, force: true });
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A run directory and its files. */
export class RunDir {
  constructor(readonly path: string) {}

  file(name: string): string {
    return join(this.path, name);
  }

  exists(name: string): boolean {
    return existsSync(this.file(name));
  }

  create(): void {
    mkdirSync(this.path, { recursive: true });
  }

  writeSpec(text: string): void {
    writeFileAtomic(this.file(RUN_FILES.spec), text);
  }

  writeIR(ir: GraphIR): void {
    writeJsonAtomic(this.file(RUN_FILES.ir), ir);
  }

  readIR(): GraphIR {
    return readJson<GraphIR>(this.file(RUN_FILES.ir));
  }

  /** Rewrites metrics.jsonl with the whole history (small: one line per epoch). */
  writeMetrics(history: EpochRecord[]): void {
    writeFileAtomic(this.file(RUN_FILES.metrics), history.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  readMetrics(): EpochRecord[] {
    if (!this.exists(RUN_FILES.metrics)) return [];
    return readFileSync(this.file(RUN_FILES.metrics), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as EpochRecord);
  }

  writeSummary(summary: RunSummary): void {
    writeJsonAtomic(this.file(RUN_FILES.summary), summary);
  }

  readSummary(): RunSummary | undefined {
    return this.exists(RUN_FILES.summary) ? readJson<RunSummary>(this.file(RUN_FILES.summary)) : undefined;
  }

  /**
   * Saves the resumable state. Large number arrays (optimizer slots: millions of
   * values for a wide MLP) go to a binary float32 file beside the JSON, which only
   * references them: JSON would be ten times larger and slow to write every epoch.
   */
  writeState(state: SavedState): void {
    const chunks: Float32Array[] = [];
    let offset = 0;
    const json = JSON.stringify(state, (_key, value: unknown) => {
      if (Array.isArray(value) && value.length >= BINARY_MIN && value.every((v) => typeof v === 'number')) {
        const data = Float32Array.from(value as number[]);
        if (data.every((v, i) => v === (value as number[])[i])) {
          chunks.push(data);
          offset += data.length;
          return { [F32_REF]: [offset - data.length, data.length] };
        }
      }
      return value;
    });
    const bytes = new Uint8Array(offset * 4);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), at);
      at += chunk.byteLength;
    }
    // The binary file first: state.json names it, so a reader never sees JSON without its data.
    writeFileAtomic(this.file(RUN_FILES.stateBin), bytes);
    writeFileAtomic(this.file(RUN_FILES.stateJson), json + '\n');
  }

  readState(): SavedState | undefined {
    if (!this.exists(RUN_FILES.stateJson)) return undefined;
    const text = readFileSync(this.file(RUN_FILES.stateJson), 'utf8');
    const buffer = this.exists(RUN_FILES.stateBin) ? readFileSync(this.file(RUN_FILES.stateBin)) : Buffer.alloc(0);
    // Float32Array views need 4-byte alignment; Node's pooled Buffers may not have it.
    const data =
      buffer.byteOffset % 4 === 0
        ? new Float32Array(buffer.buffer, buffer.byteOffset, Math.floor(buffer.byteLength / 4))
        : new Float32Array(Uint8Array.from(buffer).buffer);
    return JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && F32_REF in value) {
        const [start, length] = (value as Record<string, [number, number]>)[F32_REF]!;
        return Array.from(data.subarray(start, start + length));
      }
      return value;
    }) as SavedState;
  }

  /** A run is complete when its summary says it ended for a reason other than Ctrl-C. */
  isComplete(): boolean {
    const summary = this.readSummaryQuietly();
    return summary !== undefined && summary.stop_reason !== 'interrupted';
  }

  private readSummaryQuietly(): RunSummary | undefined {
    try {
      return this.readSummary();
    } catch {
      return undefined;
    }
  }
}

/** The metric values of an epoch record without the bookkeeping fields. */
export function metricsOf(record: EpochRecord, keep: (key: string) => boolean = () => true): MetricValues {
  const out: MetricValues = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'lr' || key === 'grad_norm' || key === 'seconds') continue;
    if (typeof value === 'number' && keep(key)) out[key] = value;
  }
  return out;
}
