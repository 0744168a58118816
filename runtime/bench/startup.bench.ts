// Start-up time, side by side in one run (rounds alternate, medians of ROUNDS):
//   - `node -e 0`, the floor any Node CLI pays;
//   - `regnetc check bench/mlp.regnet` through the installed bin (the esbuild bundle,
//     scripts/bundle-bins.mjs, run from the V8 code cache the build left), with the V8 flag
//     of its shebang line; goal ≤ 2.5x node -e 0;
//   - the language server through its bin: spawn, LSP initialize, didOpen of the same spec,
//     until its first publishDiagnostics; goal under 2x node -e 0.
// Writes bench/results/startup.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
const REGNETC = fileURLToPath(new URL('../../bin/regnetc.js', import.meta.url));
const SERVER = fileURLToPath(new URL('../../../language-server/bin/regnet-language-server.js', import.meta.url));
const SPEC = fileURLToPath(new URL('../../../bench/mlp.regnet', import.meta.url));
const ROUNDS = Number(process.env.REGNET_BENCH_ROUNDS ?? 15);
/** The flag both bins' shebang lines give node. */
const BIN_FLAGS = ['--max-semi-space-size=32'];
const GOALS = { check_vs_node: 2.5, server_first_diagnostics_vs_node: 2 };

function timeProcess(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== 0 && args.includes('check')) {
    // check exits 0 on a spec without errors; anything else means the bench measures a failure.
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  }
  return ms;
}

/** Spawns the server, opens the spec, resolves with the ms until its first diagnostics. */
function serverFirstDiagnostics(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...BIN_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => (child.kill(), reject(new Error('no diagnostics within 20 s'))), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as { id?: number; method?: string };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1 && !message.method) {
          send({ method: 'initialized', params: {} });
          send({
            method: 'textDocument/didOpen',
            params: { textDocument: { uri: pathToFileURL(SPEC).href, languageId: 'regnet', version: 1, text: readFileSync(SPEC, 'utf8') } },
          });
        } else if (message.method === 'textDocument/publishDiagnostics') {
          const ms = performance.now() - start;
          clearTimeout(timer);
          child.kill();
          resolve(ms);
          return;
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
  });
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (v: number, digits = 1) => +v.toFixed(digits);

const samples = { node: [] as number[], check: [] as number[], server: [] as number[] };
const load = loadavg()[0]!;
// One of each per round, so that load changes hit all three alike; the first round warms the disk cache.
for (let i = 0; i <= ROUNDS; i++) {
  const node = timeProcess(['-e', '0']);
  const check = timeProcess([...BIN_FLAGS, REGNETC, 'check', SPEC]);
  const server = await serverFirstDiagnostics();
  if (i === 0) continue;
  samples.node.push(node);
  samples.check.push(check);
  samples.server.push(server);
}
const perRound = (a: number[], b: number[]) => median(a.map((v, i) => v / b[i]!));
const result = {
  benchmark: 'startup',
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  load_average_1m: round(load, 2),
  rounds: ROUNDS,
  median_ms: { node_e_0: round(median(samples.node)), regnetc_check: round(median(samples.check)), server_first_diagnostics: round(median(samples.server)) },
  ratios: {
    check_vs_node: round(perRound(samples.check, samples.node), 2),
    server_first_diagnostics_vs_node: round(perRound(samples.server, samples.node), 2),
  },
  goals: GOALS,
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(RESULTS + 'startup.json', JSON.stringify(result, null, 2) + '\n');
console.log(`start-up, median of ${ROUNDS} rounds (load average ${result.load_average_1m} on ${result.cores} cores)`);
console.log(`  node -e 0                               ${result.median_ms.node_e_0} ms`);
console.log(`  regnetc check bench/mlp.regnet          ${result.median_ms.regnetc_check} ms   ${result.ratios.check_vs_node}x node -e 0 (goal ≤ ${GOALS.check_vs_node}x)`);
console.log(`  language server: start -> diagnostics   ${result.median_ms.server_first_diagnostics} ms   ${result.ratios.server_first_diagnostics_vs_node}x node -e 0 (goal < ${GOALS.server_first_diagnostics_vs_node}x)`);
console.log(`written to ${RESULTS}startup.json`);
