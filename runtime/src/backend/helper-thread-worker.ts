// The helper thread's body (helper-thread.ts): RegNet's SIMD kernels on tfjs' shared memory,
// run one call at a time as the main thread posts them in the control block.
import { workerData } from 'node:worker_threads';
import { ARGS_BYTE_OFFSET, CONTROL, KERNEL_NAMES, MAX_ARGS } from './helper-thread.js';
import { instantiateKernels } from './simd-kernels.js';

const { memory, control: block, modules } = workerData as { memory: WebAssembly.Memory; control: SharedArrayBuffer; modules: WebAssembly.Module[] };
const control = new Int32Array(block);
const args = new Float64Array(block, ARGS_BYTE_OFFSET, MAX_ARGS);
const kernels = instantiateKernels(memory, modules);
const calls = KERNEL_NAMES.map((name) => kernels[name] as (...args: number[]) => void);

Atomics.store(control, CONTROL.ready, 1);
let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL.request, seen);
  seen = Atomics.load(control, CONTROL.request);
  try {
    calls[Atomics.load(control, CONTROL.kernel)]!(...args.subarray(0, Atomics.load(control, CONTROL.argc)));
  } catch {
    Atomics.store(control, CONTROL.failed, 1);
  }
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
