// The worker thread that reads data files for the checker (see data-reader.ts):
// a 50 MB CSV or a compressed IDX file takes seconds, which must not block the
// server's thread, where every editor request is answered.
import { parentPort } from 'node:worker_threads';
import { inspectData, type DataRequest, type InspectedData } from '@regnet/compiler';

export interface DataJob {
  id: number;
  request: DataRequest;
  maxBytes: number;
}

export interface DataAnswer {
  id: number;
  result: InspectedData;
}

parentPort?.on('message', ({ id, request, maxBytes }: DataJob) => {
  let result: InspectedData;
  try {
    result = inspectData(request, maxBytes);
  } catch (error) {
    // A file that vanished or became unreadable while being read.
    result = { problems: [{ code: 'RN601', message: `cannot read the data: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, arg: 'path' }] };
  }
  parentPort!.postMessage({ id, result } satisfies DataAnswer);
});
