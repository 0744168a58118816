// Bundles the `regnetc` CLI and the language server with esbuild (part of `npm run build`).
// Loading ~100 small modules (compiler, chevrotain, commander, vscode-languageserver) cost
// most of a `regnetc check`'s 1 s; one file loads in a fraction of that. Each bundle is
// CommonJS, so that the bins can load it through scripts/load-bundle.cjs with a V8 code
// cache (copied next to each bundle), and sits next to the module it replaces (same folder
// depth), so paths computed from import.meta.url stay right. The training side
// (TensorFlow.js, data, reports) is not bundled: the commands that train import it lazily
// from dist/ as before. Last, each bin runs once, which writes its code cache.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Lazily imported modules (`await import('../run/…')`, TensorFlow.js) stay outside the
// bundle. A function restored from a V8 code cache loses its script's dynamic-import hook
// (Node 20: "A dynamic import callback was not specified"), so each `import(…)` becomes a
// call of `__regnetImport`, which load-bundle.cjs gives the bundle (`module.importDynamically`,
// an import() in an ordinary module of the same folder, so specifiers resolve alike).
const IMPORT_CALL = /\bimport\s*\(/;
const dynamicImportsThroughLoader = {
  name: 'dynamic-imports-through-loader',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      if (!IMPORT_CALL.test(text)) return undefined;
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
      const starts = [];
      const visit = (node) => {
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) starts.push(node.expression.getStart(file));
        ts.forEachChild(node, visit);
      };
      visit(file);
      let out = text;
      for (const start of starts.sort((x, y) => y - x)) out = out.slice(0, start) + '__regnetImport' + out.slice(start + 'import'.length);
      return { contents: out, loader: 'js' };
    });
  },
};

// Built-in modules that cost several ms to load (child_process pulls in net and dgram;
// crypto, net and worker_threads cost alike) and that the bundles use only on some paths
// (commander's executable subcommands, `regnetc doctor`, vscode-languageserver's pipes and
// sockets, the language server's data worker): each import of one becomes a module whose
// exports load the real one on first use.
const LAZY_BUILTINS = ['child_process', 'crypto', 'net', 'worker_threads'];
const requireBuiltin = createRequire(import.meta.url);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      // The lazy module's own require() is of the real module.
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
      loader: 'js',
      contents:
        `let real;\nconst load = () => (real ??= require('node:${path}'));\n` +
        Object.keys(requireBuiltin(path))
          .map((name) => `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`)
          .join('\n'),
    }));
  },
};

// esbuild turns each ES module's import of a CommonJS package into its own copy of the
// package's exports (a getter per name): vscode-languageserver's 321 names, copied for each
// of the server's modules that import it, cost ~4 ms of start-up. Every import of such a
// package from the project's own modules goes through one ES module re-exporting it, so it
// is copied once.
const SHARED_INTEROP = /^vscode-languageserver(\/node)?$/;
const sharedInterop = {
  name: 'shared-interop',
  setup(b) {
    b.onResolve({ filter: SHARED_INTEROP }, (args) =>
      args.namespace === 'shared-interop' || args.importer.includes('/node_modules/') ? undefined : { path: args.path, namespace: 'shared-interop' },
    );
    b.onLoad({ filter: /.*/, namespace: 'shared-interop' }, ({ path }) => ({ contents: `export * from '${path}';`, loader: 'js', resolveDir: root }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  plugins: [dynamicImportsThroughLoader, lazyBuiltins, sharedInterop],
  // The sources are ES modules: import.meta.url becomes the bundle's own URL.
  define: { 'import.meta.url': '__regnetModuleUrl' },
  // Without load-bundle.cjs (a plain require), __regnetImport is the bundle's own import().
  banner: {
    js:
      "var __regnetModuleUrl = require('node:url').pathToFileURL(__filename).href;\n" +
      'var __regnetImport = module.importDynamically ?? ((specifier) => import(specifier));',
  },
};

const bundles = [
  { entry: 'runtime/dist/src/cli/main.js', out: 'runtime/dist/src/cli/main.bundle.cjs', external: ['@tensorflow/*'] },
  { entry: 'language-server/dist/src/main.js', out: 'language-server/dist/src/main.bundle.cjs', external: [] },
];
await Promise.all(
  bundles.map(async ({ entry, out, external }) => {
    await build({ ...common, entryPoints: [join(root, entry)], outfile: join(root, out), external });
    copyFileSync(join(root, 'scripts/load-bundle.cjs'), join(root, dirname(out), 'load-bundle.cjs'));
  }),
);

// Warm-up runs that leave each bundle's code cache (with the flag of the bins' shebang lines).
const FLAGS = ['--max-semi-space-size=32'];
const spec = join(root, 'examples/02-dropout/dropout.regnet');
spawnSync(process.execPath, [...FLAGS, join(root, 'runtime/bin/regnetc.js'), 'check', spec], { stdio: 'ignore' });
await new Promise((resolve) => {
  const server = spawn(process.execPath, [...FLAGS, join(root, 'language-server/bin/regnet-language-server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const send = (message) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const timer = setTimeout(() => server.kill(), 20_000);
  server.on('exit', () => (clearTimeout(timer), resolve()));
  // A warm-up, not a client: it only waits for each reply in turn in what the server wrote.
  let output = '';
  let stage = 0;
  server.stdout.on('data', (chunk) => {
    output += chunk;
    if (stage === 0 && output.includes('"id":1,"result"')) {
      stage = 1;
      send({ method: 'initialized', params: {} });
      send({ method: 'textDocument/didOpen', params: { textDocument: { uri: pathToFileURL(spec).href, languageId: 'regnet', version: 1, text: readFileSync(spec, 'utf8') } } });
    } else if (stage === 1 && output.includes('textDocument/publishDiagnostics')) {
      stage = 2;
      send({ id: 2, method: 'shutdown' });
    } else if (stage === 2 && output.includes('"id":2,"result"')) {
      stage = 3;
      send({ method: 'exit' });
    }
  });
  send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
});
