// Assembles RegNet's own WebAssembly kernels (runtime/src/backend/simd/*.wat) with wabt into
// runtime/dist/src/backend/simd/: NAME.wasm imports tfjs-backend-wasm's memory as shared (its
// threaded build), NAME.unshared.wasm as ordinary memory (its single-threaded builds).
// Run by `npm run build`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initWabt from 'wabt';

const SOURCE = 'runtime/src/backend/simd';
const OUT = 'runtime/dist/src/backend/simd';
const SHARED_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';
const UNSHARED_IMPORT = '(import "env" "memory" (memory 1))';

const FEATURES = { simd: true, threads: true, bulk_memory: true };
const wabt = await initWabt();
mkdirSync(OUT, { recursive: true });
for (const name of readdirSync(SOURCE).filter((f) => f.endsWith('.wat'))) {
  const text = readFileSync(join(SOURCE, name), 'utf8');
  if (!text.includes(SHARED_IMPORT)) throw new Error(`${SOURCE}/${name}: expected the memory import ${SHARED_IMPORT}`);
  const base = name.replace(/\.wat$/, '');
  for (const [suffix, source] of [['', text], ['.unshared', text.replace(SHARED_IMPORT, UNSHARED_IMPORT)]]) {
    let module;
    try {
      module = wabt.parseWat(name, source, FEATURES);
      module.validate(FEATURES);
    } catch (error) {
      // wabt's message names the file, line and column; its stack is minified wabt source.
      console.error(`build-wasm: ${SOURCE}/${error.message}`);
      process.exit(1);
    }
    writeFileSync(join(OUT, `${base}${suffix}.wasm`), module.toBinary({}).buffer);
    module.destroy();
  }
}
