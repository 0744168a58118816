// parse+check time of generated 1,000- and 10,000-line specs (median of repeated
// runs). Target: 1,000 lines checked in under 20 ms. Writes bench/results/compiler.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { check, parse } from '../src/index.js';

const RESULTS = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

/** A realistic spec of about `lines` lines: lets, a deep model with blocks, data, train. */
export function generateSpec(lines: number): string {
  const out: string[] = ['# generated benchmark spec', 'let width = 64', 'let p = 0.1', 'model big {', '  input([2])', '  dense(width)'];
  const footer = [
    '  dense(2)',
    '}',
    'data {',
    '  source: playground(spiral, n: 500)',
    '  validation: 0.2',
    '}',
    'train {',
    '  epochs: 10',
    '  optimizer: adamw(lr: 0.001, weight_decay: 0.01)',
    '  schedule: cosine(warmup: 1)',
    '  early_stopping { monitor: val_loss  patience: 3 }',
    '}',
  ];
  let i = 0;
  while (out.length + footer.length < lines) {
    if (i % 10 === 0) out.push('  residual {', '    dense(width, activation: relu)  # inner', '    layernorm', '  }');
    else out.push(`  dense(width, activation: ${i % 2 ? 'relu' : 'gelu'}, l2: 0.0001)`, '  dropout(p)');
    i++;
  }
  return [...out, ...footer].join('\n') + '\n';
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, repeats: number): { median: number; min: number } {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return { median: median(samples), min: Math.min(...samples) };
}

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, target: '1,000 lines checked in under 20 ms' };
for (const lines of [1000, 10000]) {
  const spec = generateSpec(lines);
  const repeats = lines > 5000 ? 10 : 40;
  const parseOnly = time(() => parse(spec), repeats);
  const parseCheck = time(() => check(spec), repeats);
  const diagnostics = check(spec).diagnostics.filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) throw new Error(`generated spec has errors: ${diagnostics[0].message}`);
  results[`${lines}_lines`] = {
    lines: spec.split('\n').length - 1,
    parse_ms_median: +parseOnly.median.toFixed(2),
    parse_check_ms_median: +parseCheck.median.toFixed(2),
    parse_check_ms_min: +parseCheck.min.toFixed(2),
    repeats,
  };
  console.log(`${lines} lines: parse ${parseOnly.median.toFixed(2)} ms, parse+check ${parseCheck.median.toFixed(2)} ms (median of ${repeats})`);
}
mkdirSync(RESULTS, { recursive: true });
writeFileSync(RESULTS + 'compiler.json', JSON.stringify(results, null, 2) + '\n');
console.log(`written ${RESULTS}compiler.json`);
