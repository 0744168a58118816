// The Emscripten pthread worker of tfjs-backend-wasm's threaded build, loadable by Node's
// worker_threads (see wasm-threads.ts). tfjs hands its workers Blob URLs, which Node cannot
// load; this file runs the same worker source, and points the worker's one Blob (the main
// script) at the package's file on disk.
'use strict';
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
const mainScript = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
URL.createObjectURL = () => mainScript;
URL.revokeObjectURL = () => {};
// tfjs escapes newlines the same way before making its Blob (the source has "\n" in strings).
// eslint-disable-next-line no-eval
eval(wasmWorkerContents.replace(/\n/g, '\\n'));
