// Quick fixes (in process): every fix the compiler attaches to a diagnostic.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { check } from '@regnet/compiler';
import { featureSuite, MISTAKES, mistakesUri, range, applyEdits } from './helpers/feature-suite.js';

const lsp = featureSuite();
const { request } = lsp;
describe('code actions', () => {
  const actionsAt = (line: number, character: number, diagnostics: Diagnostic[] = []) =>
    request<CodeAction[]>('textDocument/codeAction', mistakesUri, { range: range(line, character, line, character), context: { diagnostics } });

  test('"did you mean" quick fix', async () => {
    const actions = await actionsAt(4, 4);
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [["Replace with 'dense'", 'quickfix', true]]);
    assert.equal(actions[0].diagnostics![0].code, 'RN201');
    const fixed = applyEdits(MISTAKES, actions[0].edit!.changes![mistakesUri]);
    assert.match(fixed, /^ {2}dense\(128, activation: relu\)$/m);
  });

  test('the course lint fix: adam + l2 becomes adamw(weight_decay: …)', async () => {
    const actions = await actionsAt(19, 18);
    const fix = actions.find((a) => a.diagnostics?.[0].code === 'RN501')!;
    assert.equal(fix.title, 'Use adamw(weight_decay: 0.0001) instead of adam with an L2 penalty');
    const fixed = applyEdits(MISTAKES, fix.edit!.changes![mistakesUri]);
    assert.match(fixed, /optimizer: adamw\(lr: 0\.001, weight_decay: 0\.0001\)/);
    assert.doesNotMatch(fixed, /regularizer/);
    assert.ok(!check(fixed).diagnostics.some((d) => d.code === 'RN501'));
  });

  test('none where no diagnostic has a fix; none when only other kinds are asked for', async () => {
    assert.deepEqual(await actionsAt(12, 6), []);
    const only = await request<CodeAction[]>('textDocument/codeAction', mistakesUri, { range: range(4, 4, 4, 4), context: { diagnostics: [], only: ['refactor'] } });
    assert.deepEqual(only, []);
  });
});

describe('quick fixes on marked text', () => {
  const BN = 'model {\n  flatten\n  <|>batchnorm()\n  dense(10)\n}\ndata { source: mnist() }\ntrain { epochs: 2 }\n';

  test('RN507: set batchnorm momentum to a value the run can settle', async () => {
    const action = await lsp.expectCodeAction(BN, 'Set batchnorm momentum to 0.9 (statistics averaged over 10 steps)', BN.replace('<|>', '').replace('batchnorm()', 'batchnorm(momentum: 0.9)'));
    assert.equal(action.diagnostics![0]!.code, 'RN507');
    assert.equal(action.isPreferred, true);
  });

  test('RN201: replace a misspelt layer', async () => {
    await lsp.expectCodeAction('model {\n  flatten\n  des<|>ne(10)\n}\n', "Replace with 'dense'", 'model {\n  flatten\n  dense(10)\n}\n');
  });
});
