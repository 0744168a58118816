// Shared set-up of the torch engine tests: skipping (with one line) where Python or torch
// is missing, compiling small specs without data files, and running the Python helper.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { compile, type GraphIR } from '@regnet/compiler';
import { checkTorchAvailable, pythonCommand, TorchUnavailableError } from '../src/engines/torch/launch.js';

export const ENGINE_CHECK = fileURLToPath(new URL('../../test/torch/engine_check.py', import.meta.url));
export const REGNETC = fileURLToPath(new URL('../../bin/regnetc.js', import.meta.url));

let availability: string | undefined | null = null;

/** Why torch tests cannot run here, or undefined when they can. */
export function torchMissing(): string | undefined {
  if (availability === null) {
    try {
      checkTorchAvailable();
      availability = undefined;
    } catch (error) {
      if (!(error instanceof TorchUnavailableError)) throw error;
      availability = error.message;
    }
  }
  return availability;
}

/** Skips the test with one line when torch is missing (a failure under REGNET_E2E=required). */
export function skipWithoutTorch(t: TestContext): boolean {
  const why = torchMissing();
  if (!why) return false;
  if (process.env.REGNET_E2E === 'required') assert.fail(`REGNET_E2E=required but ${why}`);
  t.skip(`torch engine: ${why}`);
  return true;
}

/** The IR of a spec written inline (data files are not read: shapes come from the source's arguments). */
export function irOf(spec: string, file = '/tmp/regnet-torch-test/spec.regnet'): GraphIR {
  const result = compile(spec, { file, inspectData: false, engine: 'torch' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code} ${d.message}`), [], `spec compiles:\n${spec}`);
  assert.ok(result.ir);
  return result.ir;
}

/** Runs the Python helper; returns its stdout (throws with its stderr on failure). */
export function runEngineCheck(args: string[], timeoutMs = 120_000): string {
  const run = spawnSync(pythonCommand(), [ENGINE_CHECK, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  assert.equal(run.status, 0, `engine_check.py ${args[0]} failed:\n${run.stderr}`);
  return run.stdout;
}
