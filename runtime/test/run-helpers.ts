// Shared helpers of the run/sweep/report tests: the repository root, a temp folder,
// running the real `regnetc` bin, and fake run directories for the report tests.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EpochRecord } from '../src/contracts.js';
import type { RunSummary } from '../src/run/run-dir.js';

/** The repository root (tests run from runtime/dist/test). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const REGNETC = join(REPO, 'runtime', 'bin', 'regnetc.js');
/** Screenshots and other artifacts a person may want to look at after the tests. */
export const TEST_OUTPUT = join(REPO, 'test-output');

export function tempDir(prefix = 'regnet-run-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `regnetc ARGS` in `cwd` and waits for it. */
export function regnetc(args: string[], cwd = REPO, timeoutMs = 240_000): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [REGNETC, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function writeSpec(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A run directory as `regnetc train` leaves it (without a model), for report tests. */
export function fakeRun(dir: string, epochs = 8, overrides: Partial<RunSummary> = {}): string {
  mkdirSync(dir, { recursive: true });
  const history: EpochRecord[] = [];
  for (let e = 1; e <= epochs; e++) {
    history.push({
      epoch: e,
      loss: 1 / e,
      accuracy: 1 - 0.5 / e,
      val_loss: 1 / e + 0.03 * e,
      val_accuracy: 0.9 - 0.3 / e,
      lr: 0.01,
      grad_norm: 1 / e,
      seconds: 0.2,
    });
  }
  writeFileSync(join(dir, 'metrics.jsonl'), history.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const last = history[history.length - 1]!;
  const summary: RunSummary = {
    name: 'fake',
    spec_file: '/nowhere/fake.regnet',
    epochs_run: epochs,
    epochs_planned: epochs,
    best_epoch: 3,
    model_epoch: 3,
    monitor: 'val_loss',
    checkpoint: 'best',
    best: { epoch: 3, loss: 1 / 3, accuracy: 1 - 0.5 / 3, val_loss: 1 / 3 + 0.09, val_accuracy: 0.8 },
    final: { epoch: epochs, loss: last.loss, accuracy: last.accuracy!, val_loss: last.val_loss!, val_accuracy: last.val_accuracy! },
    stop_reason: 'completed',
    backend: 'cpu',
    seed: 1,
    constants: {},
    total_params: 10,
    wall_seconds: 1.5,
    started_at: new Date(0).toISOString(),
    finished_at: new Date(1000).toISOString(),
    ...overrides,
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  writeFileSync(join(dir, 'spec.regnet'), 'model { dense(2) }\n# <script>alert(1)</script>\n');
  return dir;
}

/** Chromium for the rendering tests, or why it cannot run. */
export function chromiumPath(): string | undefined {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 }).status === 0 ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `regnetc ARGS`, sends one Ctrl-C (SIGINT) `delayMs` after stdout first matches `when`, and waits for the exit. */
export async function interruptWhen(args: string[], when: RegExp, delayMs = 0): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [REGNETC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let sent = false; // one Ctrl-C only: a second one quits at once
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && when.test(stdout)) {
      sent = true;
      setTimeout(() => child.kill('SIGINT'), delayMs);
    }
  });
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  return { code, stdout };
}
