// Data files are read off the request path. The checker asks this reader for what
// a source's files hold (input shape, classes); the answer comes from a cache keyed
// by the files' size and modification time, and on a miss the files are read in a
// worker thread while the check goes on without them (as if the data were not
// known yet). When the worker answers, `onRead` re-checks the open documents, so
// diagnostics about data arrive a little later and no request ever waits.
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { inspectData, requestPaths, type DataInspector, type DataRequest, type InspectedData } from '@regnet/compiler';
import type { DataAnswer, DataJob } from './data-worker.js';
import type { Logger } from './safe.js';

/** Size and modification time of each file, or undefined when one does not exist. */
function stampOf(request: DataRequest): string | undefined {
  const parts: string[] = [];
  for (const path of requestPaths(request)) {
    try {
      const s = statSync(path);
      parts.push(`${s.size}:${s.mtimeMs}`);
    } catch {
      return undefined;
    }
  }
  return parts.join('|');
}

export class BackgroundDataReader {
  private readonly cache = new Map<string, { stamp: string; result: InspectedData }>();
  private readonly jobs = new Map<number, { key: string; stamp: string }>();
  private readonly inFlight = new Set<string>();
  private worker: Worker | undefined;
  private workerFailed = false;
  private nextId = 1;

  constructor(
    private readonly workerFile: URL,
    private readonly onRead: () => void,
    private readonly logger: Logger,
  ) {}

  /** For the checker (CheckOptions.inspector): the cached result, or undefined while it is being read. */
  readonly inspector: DataInspector = (request, maxBytes) => {
    const stamp = stampOf(request);
    // A missing file is reported at once: nothing to read.
    if (stamp === undefined) return inspectData(request, maxBytes);
    const key = `${JSON.stringify(request)}:${maxBytes}`;
    const hit = this.cache.get(key);
    if (hit && hit.stamp === stamp) return hit.result;
    const worker = this.startWorker();
    if (!worker) return inspectData(request, maxBytes); // no worker thread: read here, as before
    if (!this.inFlight.has(key)) {
      this.inFlight.add(key);
      const id = this.nextId++;
      this.jobs.set(id, { key, stamp });
      worker.postMessage({ id, request, maxBytes } satisfies DataJob);
    }
    return hit?.result; // the previous answer while the file is re-read, else not known yet
  };

  /** True while some file is being read. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private startWorker(): Worker | undefined {
    if (this.worker || this.workerFailed) return this.worker;
    try {
      const worker = new Worker(this.workerFile);
      worker.unref(); // never keeps the server alive on its own
      worker.on('message', (answer: DataAnswer) => this.answered(answer));
      worker.on('error', (error) => this.failed(error));
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
      this.worker = worker;
    } catch (error) {
      this.failed(error);
    }
    return this.worker;
  }

  private answered({ id, result }: DataAnswer): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    this.inFlight.delete(job.key);
    this.cache.set(job.key, { stamp: job.stamp, result });
    this.onRead();
  }

  private failed(error: unknown): void {
    this.logger.error(`[data] the data worker failed, reading on the main thread: ${error instanceof Error ? error.message : String(error)}`);
    this.workerFailed = true;
    this.worker = undefined;
    this.jobs.clear();
    this.inFlight.clear();
    this.onRead();
  }
}
