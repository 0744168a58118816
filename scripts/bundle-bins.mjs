// Bundles the `regnetc` CLI and the language server with esbuild (part of `npm run build`).
// Loading ~100 small modules (compiler, chevrotain, commander, vscode-languageserver) cost
// most of a `regnetc check`'s 1 s; one file loads in a fraction of that. Each bundle sits
// next to the module it replaces (same folder depth), so paths computed from
// import.meta.url stay right. The training side (TensorFlow.js, data, reports) is not
// bundled: the commands that train import it lazily from dist/ as before.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Lazily imported modules (`await import('../run/…')`) stay outside the bundle.
const lazyStaysOutside = {
  name: 'lazy-stays-outside',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [lazyStaysOutside],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __regnetRequire } from 'node:module'; const require = __regnetRequire(import.meta.url);" },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'runtime/dist/src/cli/main.js')],
    outfile: join(root, 'runtime/dist/src/cli/main.bundle.js'),
    external: ['@tensorflow/*'],
  }),
  build({
    ...common,
    entryPoints: [join(root, 'language-server/dist/src/main.js')],
    outfile: join(root, 'language-server/dist/src/main.bundle.js'),
  }),
]);
