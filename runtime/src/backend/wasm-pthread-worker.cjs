// The Emscripten pthread worker of tfjs-backend-wasm's threaded build, loadable by Node's
// worker_threads (see wasm-threads.ts). tfjs hands its workers Blob URLs, which Node cannot
// load; this file runs the same worker source, and points the worker's one Blob (the main
// script) at the package's file on disk.
'use strict';
// After each operation XNNPACK's pool threads spin for a millisecond or two waiting for the
// next one, holding their core; RegNet's helper thread (helper-thread.ts) then waited that long
// for the core. At the lowest priority the spinning gives way at once; the pool's real work
// competes with nothing of ours, since the helper sleeps while XNNPACK runs. On Linux,
// priority 0 means this thread alone (elsewhere it would be the whole process: left alone).
if (process.platform === 'linux') {
  try {
    require('os').setPriority(19);
  } catch {
    // not permitted: the helper only waits longer
  }
}
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
const mainScript = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
URL.createObjectURL = () => mainScript;
URL.revokeObjectURL = () => {};
// tfjs escapes newlines the same way before making its Blob (the source has "\n" in strings).
// eslint-disable-next-line no-eval
eval(wasmWorkerContents.replace(/\n/g, '\\n'));
