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
//   DIR/.regnet-run     marks a folder RegNet made: only such a folder is ever replaced
//   DIR/.regnet-reserve a few KB set aside so that a full disk still gets a summary.json
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { GraphIR, JsonValue } from '@regnet/compiler';
import type { EpochRecord, TrainState } from '../contracts.js';
import { UsageError, writing, writingAsync } from './errors.js';

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
  marker: '.regnet-run',
  reserve: '.regnet-reserve',
} as const;

/** Creates `path` (if needed) with the marker that lets regnetc replace what is in it later. */
export function markFolder(path: string): void {
  writing(path, () => makeFolder(path));
  const marker = join(path, RUN_FILES.marker);
  if (!existsSync(marker)) writeFileAtomic(marker, 'A folder made by regnetc; regnetc may replace what is in it.\n');
}

/** Bytes kept in reserve for the final summary.json (a summary is 1-3 KB). */
const RESERVE_BYTES = 16 * 1024;

/**
 * mkdir -p with the true cause on failure: Node's recursive mkdir reports ENOENT
 * for a read-only or forbidden parent, a plain mkdir of the last part says EROFS/EACCES.
 */
export function makeFolder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(dirname(path))) throw error;
    mkdirSync(path);
  }
}

/** Metric values of one epoch or one evaluation, e.g. `{ loss: 0.3, accuracy: 0.9 }`. */
export type MetricValues = Record<string, number>;

/** `write_error`: a file of the run could not be written (full disk...); resumable like `interrupted`. */
export type StopReason = 'completed' | 'early_stopping' | 'non_finite' | 'interrupted' | 'write_error';

/** Runs that stopped before their end and can continue with --resume. */
export function isResumable(reason: StopReason | undefined): boolean {
  return reason === 'interrupted' || reason === 'write_error';
}

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
  const tmp = `${path}.tmp-${process.pid}`;
  writing(path, () => {
    try {
      makeFolder(dirname(path));
      writeFileSync(tmp, data);
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true }); // a partial temp file only takes space (a full disk)
      throw error;
    }
  });
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Fills a folder atomically: `fill` writes into a temp folder which then replaces
 * `path` (old folder moved aside first, since rename cannot replace a non-empty dir).
 * A kill between the two renames leaves `path.old-PID`: see cleanTemporaries.
 */
export async function writeDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const old = `${path}.old-${process.pid}`;
  await writingAsync(path, async () => {
    try {
      rmSync(tmp, { recursive: true, force: true });
      makeFolder(tmp);
      await fill(tmp);
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true });
      throw error;
    }
    if (existsSync(path)) renameSync(path, old);
    renameSync(tmp, path);
    rmSync(old, { recursive: true, force: true });
  });
}

const TEMPORARY = /^(.+)\.(tmp|old)-\d+$/;

/**
 * Removes what an interrupted atomic write left in `folder` (`X.tmp-PID`, `X.old-PID`);
 * an `X.old-PID` whose `X` is missing (killed between the two renames of
 * writeDirAtomic) is the last complete copy and is moved back. Returns the names removed.
 */
export function cleanTemporaries(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(folder)) {
    const m = TEMPORARY.exec(name);
    if (!m) continue;
    const path = join(folder, name);
    if (m[2] === 'old' && !existsSync(join(folder, m[1]!))) {
      renameSync(path, join(folder, m[1]!));
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
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

  /** Creates the folder (and its marker); callers check first that it may be used (out-dir.ts). */
  create(): void {
    markFolder(this.path);
  }

  /** Sets aside room for the final summary (see writeSummary). */
  reserveSpace(): void {
    writeFileAtomic(this.file(RUN_FILES.reserve), new Uint8Array(RESERVE_BYTES));
  }

  /** Cleans what a kill during a save left behind (state/ and model/ temporaries). */
  cleanTemporaries(): string[] {
    return [...cleanTemporaries(this.path), ...cleanTemporaries(this.file(RUN_FILES.state))];
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

  /** Writes summary.json; on a full disk, with the room reserveSpace set aside. */
  writeSummary(summary: RunSummary): void {
    try {
      writeJsonAtomic(this.file(RUN_FILES.summary), summary);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== 'ENOSPC' && code !== 'EDQUOT') || !this.exists(RUN_FILES.reserve)) throw error;
      rmSync(this.file(RUN_FILES.reserve), { force: true });
      writeJsonAtomic(this.file(RUN_FILES.summary), summary);
    }
  }

  readSummary(): RunSummary | undefined {
    return this.exists(RUN_FILES.summary) ? readJson<RunSummary>(this.file(RUN_FILES.summary)) : undefined;
  }

  /**
   * Saves the resumable state: state/ is replaced as a whole (writeDirAtomic), so a
   * kill at any moment leaves the previous complete state or the new one, never the
   * weights of one epoch with the optimizer state of another. `saveModel` writes the
   * weights into the folder it is given (state/model). Large number arrays (optimizer
   * slots: millions of values for a wide MLP) go to a binary float32 file beside the
   * JSON, which only references them: JSON would be ten times larger and slow to write.
   */
  async writeState(state: SavedState, saveModel?: (folder: string) => Promise<void>): Promise<void> {
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
    const inState = (path: string) => relative(RUN_FILES.state, path);
    await writeDirAtomic(this.file(RUN_FILES.state), async (tmp) => {
      if (saveModel) {
        makeFolder(join(tmp, inState(RUN_FILES.stateModel)));
        await saveModel(join(tmp, inState(RUN_FILES.stateModel)));
      }
      writeFileSync(join(tmp, inState(RUN_FILES.stateBin)), bytes);
      writeFileSync(join(tmp, inState(RUN_FILES.stateJson)), json + '\n');
    });
  }

  /** The saved state; a StateError when it is there but unreadable (truncated by a kill, edited). */
  readState(): SavedState | undefined {
    if (!this.exists(RUN_FILES.stateJson)) return undefined;
    try {
      return this.parseState();
    } catch (error) {
      throw new StateError(this.file(RUN_FILES.stateJson), (error as Error).message);
    }
  }

  private parseState(): SavedState {
    const text = readFileSync(this.file(RUN_FILES.stateJson), 'utf8');
    const buffer = this.exists(RUN_FILES.stateBin) ? readFileSync(this.file(RUN_FILES.stateBin)) : Buffer.alloc(0);
    // Float32Array views need 4-byte alignment; Node's pooled Buffers may not have it.
    const data =
      buffer.byteOffset % 4 === 0
        ? new Float32Array(buffer.buffer, buffer.byteOffset, Math.floor(buffer.byteLength / 4))
        : new Float32Array(Uint8Array.from(buffer).buffer);
    const state = JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && F32_REF in value) {
        const [start, length] = (value as Record<string, [number, number]>)[F32_REF]!;
        if (start + length > data.length) throw new Error(`${RUN_FILES.stateBin} is shorter than ${RUN_FILES.stateJson} says`);
        return Array.from(data.subarray(start, start + length));
      }
      return value;
    }) as SavedState;
    if (!state || typeof state !== 'object' || !state.train || typeof state.train.epoch !== 'number') throw new Error('not a saved training state');
    return state;
  }

  /** A run is complete when its summary says it ended for a reason other than Ctrl-C. */
  isComplete(): boolean {
    const summary = this.readSummaryQuietly();
    return summary !== undefined && !isResumable(summary.stop_reason);
  }

  /** The epochs recorded so far; none when metrics.jsonl is missing or unreadable. */
  readMetricsQuietly(): EpochRecord[] {
    try {
      return this.readMetrics();
    } catch {
      return [];
    }
  }

  /** summary.json, or undefined when it is missing or unreadable. */
  readSummaryQuietly(): RunSummary | undefined {
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

/** state/state.json exists but cannot be read: the run cannot continue from it. */
export class StateError extends UsageError {
  static override readonly kind: string = 'StateError';

  constructor(
    readonly path: string,
    readonly cause: string,
  ) {
    super(`${path} is unreadable (${cause})`);
    this.name = 'StateError';
    this.kinds.push(StateError.kind);
  }
}
