// Starting the exported trainer: one `python3 train.py` process, or torchrun (DDP) for
// several processes or machines. Debian's torchrun on Python 3.11 crashes parsing its log
// redirects unless given `--redirects` and `--tee` explicitly, so both are always passed.
// The trainer's rank 0 prints `@regnet {json}` event lines; everything else passes through.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { EXPORT_FILES } from './export.js';
import { pythonCommand } from './interpreter.js';

/** Python or torch is missing: the message names the install command. */
export class TorchUnavailableError extends Error {}

export const INSTALL_HINT =
  'install PyTorch: `apt-get install python3-torch` (Debian/Ubuntu) or `pip install torch`; ' +
  'REGNET_PYTHON=/path/to/python3 picks the interpreter';

export { pythonCommand };

/** Checks (without importing it, which takes seconds) that the interpreter has torch. */
export function checkTorchAvailable(python = pythonCommand()): void {
  const probe = spawnSync(python, ['-c', 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("torch") else 3)'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.error) throw new TorchUnavailableError(`cannot run Python (${python}): ${probe.error.message}; ${INSTALL_HINT}`);
  if (probe.status === 3) throw new TorchUnavailableError(`PyTorch is not installed for ${python}; ${INSTALL_HINT}`);
  if (probe.status !== 0) throw new TorchUnavailableError(`${python} failed (${probe.stderr.trim() || `exit ${probe.status}`}); ${INSTALL_HINT}`);
}

/** How many processes, where and on what: the torch-only options of `regnetc train`. */
export interface ProcessLayout {
  /** Processes on this machine. */
  nproc: number;
  nnodes: number;
  nodeRank: number;
  /** HOST:PORT of node 0 (default 127.0.0.1 and a free port, for one machine). */
  master?: string;
  device: 'cpu' | 'cuda';
  maxRestarts: number;
  /** Seconds to wait for every rank (default 120). */
  joinTimeout?: number;
  threads?: number;
}

export interface LaunchOptions extends ProcessLayout {
  exportDir: string;
  /** The trainer's --out folder. */
  out: string;
  python?: string;
  onEvent?(event: TrainerEvent): void;
  /** Lines of the trainer's output that are not events. */
  onLine?(line: string): void;
}

export interface TrainerEvent {
  event: 'start' | 'epoch' | 'resumed' | 'done';
  [key: string]: unknown;
}

/** Lines from torchrun's workers carry a `[default0]:` prefix. */
const RANK_PREFIX = /^\[[^\]]*\]:/;

export function launchCommand(o: LaunchOptions, port: number): { command: string; args: string[] } {
  const python = o.python ?? pythonCommand();
  const trainer = [join(o.exportDir, EXPORT_FILES.train), '--out', o.out, '--device', o.device];
  if (o.threads) trainer.push('--threads', String(o.threads));
  if (o.joinTimeout) trainer.push('--join-timeout', String(o.joinTimeout));
  if (o.nproc === 1 && o.nnodes === 1 && o.maxRestarts === 0) return { command: python, args: trainer };
  const [host, masterPort] = o.master ? splitMaster(o.master) : ['127.0.0.1', port];
  const args = ['-m', 'torch.distributed.run', '--nproc_per_node', String(o.nproc), '--nnodes', String(o.nnodes)];
  args.push('--node_rank', String(o.nodeRank), '--master_addr', host, '--master_port', String(masterPort));
  args.push('--max_restarts', String(o.maxRestarts), '--redirects', '1', '--tee', '1');
  // torchrun's per-worker logs go into the export folder (removed after the run), not /tmp.
  args.push('--log_dir', join(o.exportDir, 'torchrun-logs'));
  // The static rendezvous' wait for the other machines' launchers (torch's default: 10 minutes).
  args.push('--rdzv_conf', `timeout=${Math.ceil(o.joinTimeout ?? 120)}`);
  return { command: python, args: [...args, ...trainer] };
}

export function splitMaster(master: string): [string, number] {
  const m = /^(.+):(\d+)$/.exec(master);
  if (!m) throw new Error(`--master must be HOST:PORT, not '${master}'`);
  return [m[1]!, Number(m[2])];
}

/** Time Python needs to start and import torch before it can join, on a busy machine. */
const STARTUP_SLACK_S = 20;

export interface LaunchOutcome {
  code: number;
  /** The last lines the trainer printed. */
  tail: string[];
  /** The group did not form within the join timeout (and was stopped). */
  joinTimedOut: boolean;
  /** Stopped by Ctrl-C. */
  interrupted: boolean;
}

/**
 * Runs the trainer to its end. torchrun's own waits for a missing machine are long (minutes)
 * and not all configurable, so the launcher bounds them: when the group has not started
 * (rank 0's `start` event) within the join timeout plus the startup slack, every process of
 * the launch is stopped.
 */
export function launch(o: LaunchOptions, port: number): Promise<LaunchOutcome> {
  const { command, args } = launchCommand(o, port);
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // One OpenMP thread per process unless told otherwise (torchrun warns when it sets it).
    env: { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? String(o.threads ?? 1), PYTHONUNBUFFERED: '1' },
    // Its own process group, so that stopping it stops torchrun's workers too.
    detached: true,
  });
  const stopAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  let started = false;
  let joinTimedOut = false;
  const joinTimer = setTimeout(() => {
    if (started) return;
    joinTimedOut = true;
    stopAll('SIGTERM');
    setTimeout(() => stopAll('SIGKILL'), 3000).unref();
  }, ((o.joinTimeout ?? 120) + STARTUP_SLACK_S) * 1000);
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  const seen = new Set<string>();
  const read = (stream: NodeJS.ReadableStream, isStdout: boolean) => {
    createInterface({ input: stream }).on('line', (raw) => {
      const line = raw.replace(RANK_PREFIX, '');
      if (line.startsWith('@regnet ')) {
        // With --tee, torchrun echoes a worker's line once from its log and once live.
        if (seen.has(raw)) return;
        seen.add(raw);
        try {
          const event = JSON.parse(line.slice('@regnet '.length)) as TrainerEvent;
          if (event.event === 'start') started = true;
          o.onEvent?.(event);
        } catch {
          keep(line);
        }
        return;
      }
      keep(line);
      if (isStdout) o.onLine?.(line);
    });
  };
  read(child.stdout!, true);
  read(child.stderr!, false);
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    stopAll('SIGTERM');
  };
  process.once('SIGINT', stop);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(joinTimer);
      process.off('SIGINT', stop);
      resolve({ code: code ?? (signal ? 128 : 1), tail, joinTimedOut, interrupted });
    });
  });
}
