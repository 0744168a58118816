// The RegNet extension in a real VS Code (code-server + Chromium), asserted from the
// page as a user sees it. One code-server instance serves every scenario (startup is
// the slow part); each scenario opens its own fixture spec and closes it afterwards,
// so scenarios do not see each other's diagnostics.
//
// Needs the clients from `bash scripts/install-editor-clients.sh`; without them the
// test skips with one line (fails under REGNET_E2E=required).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GiveUp, VSCodeSession, fixturesDir, packageExtension, repoRoot, skipUnlessClients, waitFor } from './harness.mjs';

const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.regnet')).map((f) => join(fixturesDir, f));

/** Runs one scenario: `body(step)` where step(name, fn) names the failing step; saves test-output/e2e/<name>.png. */
async function scenario(vscode, name, body) {
  const step = (stepName, fn) => vscode.step(name, stepName, fn);
  try {
    await body(step);
    await vscode.screenshot(name);
  } finally {
    // Leave a clean workbench for the next scenario: no open editor, panel or widget.
    await vscode.resetWorkbench().catch(() => {});
  }
}

test('VS Code (code-server 4.100.3): the RegNet extension as a user sees it', { timeout: 300_000 }, async (t) => {
  if (await skipUnlessClients(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'regnet-vsix-'));
  let vscode;
  try {
    const vsix = packageExtension(tmp);
    vscode = await VSCodeSession.start({
      vsix,
      files: fixtures,
      settings: {
        // The terminal runs the repository's own regnetc (as after `npm install`).
        'regnet.regnetc.path': join(repoRoot, 'node_modules', '.bin', 'regnetc'),
        'editor.wordBasedSuggestions': 'off',
      },
    });
    const s = vscode;

    await t.test('1. highlighting: keywords, layer names, numbers, strings and comments get distinct token classes', () =>
      scenario(s, '1-highlighting', async (step) => {
        await step('open highlight.regnet', () => s.openFile('highlight.regnet'));
        await step('language mode is RegNet', async () => {
          await waitFor('the RegNet language mode', async () => (await s.languageMode()) === 'RegNet');
        });
        await step('tokens of `let run_name = "baseline"  # ...` and `dense(32, ...)` have distinct classes', async () => {
          // The grammar loads asynchronously: wait until the comment is coloured apart from plain text.
          const classes = await waitFor('the grammar to colour the spec', async () => {
            const c = {
              keyword: (await s.wordBox('let run_name', 'let')).spans.join(' '),
              string: (await s.wordBox('let run_name', '"baseline"')).spans.join(' '),
              comment: (await s.wordBox('let run_name', '# a string constant')).spans.join(' '),
              layer: (await s.wordBox('dense(32', 'dense')).spans.join(' '),
              number: (await s.wordBox('dense(32', '32')).spans.join(' '),
            };
            return new Set(Object.values(c)).size === 5 ? c : undefined;
          }, { timeout: 10000 });
          for (const cls of Object.values(classes)) assert.match(cls, /^mtk\d+$/, 'each token is one coloured span');
        });
      }),
    );

    await t.test('2. diagnostics: squiggle, status bar count, Problems row with code and "did you mean"; the adam + l2 warning', () =>
      scenario(s, '2-diagnostics', async (step) => {
        await step('open misspelt-layer.regnet', () => s.openFile('misspelt-layer.regnet'));
        await step('an error squiggle under `dropuot` on line 5', async () => {
          await s.page.locator('.part.editor .squiggly-error').first().waitFor({ timeout: 15000 });
          const word = await s.wordBox('dropuot(0.5)', 'dropuot');
          const squiggles = await s.page.locator('.part.editor .squiggly-error').evaluateAll((els) =>
            els.map((e) => {
              const r = e.getBoundingClientRect();
              return { x: r.x, y: r.y, width: r.width, height: r.height };
            }),
          );
          assert.equal(squiggles.length, 1, `one squiggle: ${JSON.stringify(squiggles)}`);
          const [q] = squiggles;
          assert.ok(Math.abs(q.y - word.y) < q.height, `squiggle on the line of dropuot (squiggle y=${q.y}, word y=${word.y})`);
          assert.ok(q.x <= word.x + 1 && q.x + q.width >= word.x + word.width - 1, 'the squiggle covers the word');
        });
        await step('the status bar counts one error', async () => {
          const counts = await waitFor('Errors: 1 in the status bar', async () => {
            const c = await s.problemCounts();
            return c.errors === 1 ? c : undefined;
          });
          assert.equal(counts.errors, 1);
        });
        await step('the Problems panel row carries the message, RN201 and "did you mean dropout"', async () => {
          const rows = await s.problemsRows();
          const row = rows.find((r) => r.text.includes('RN201'));
          assert.ok(row, `a Problems row with RN201 among ${JSON.stringify(rows)}`);
          assert.match(row.label, /^Error: /);
          assert.match(row.label, /dropuot/);
          assert.match(row.label, /did you mean .*dropout/i);
          assert.match(row.label, /at line 5 and character 3\b/);
          assert.match(row.text, /\[Ln 5, Col 3\]/);
        });
        await s.screenshot('2-diagnostics-problems');
        await s.resetWorkbench();

        await step('open adam-l2.regnet', () => s.openFile('adam-l2.regnet'));
        await step('the course lint RN501 shows as a warning (squiggle, status bar, Problems)', async () => {
          await s.page.locator('.part.editor .squiggly-warning').first().waitFor({ timeout: 15000 });
          const counts = await waitFor('Warnings: 1 in the status bar', async () => {
            const c = await s.problemCounts();
            return c.warnings === 1 && c.errors === 0 ? c : undefined;
          });
          assert.deepEqual([counts.errors, counts.warnings], [0, 1]);
          const rows = await s.problemsRows();
          const row = rows.find((r) => r.text.includes('RN501'));
          assert.ok(row, `a Problems row with RN501 among ${JSON.stringify(rows)}`);
          assert.match(row.label, /^Warning: /);
          assert.match(row.label, /adamw/);
        });
      }),
    );

    await t.test('3. hover: dropout shows formula, arguments and reference; conv2d shows its output shape and parameter count', () =>
      scenario(s, '3-hover', async (step) => {
        await step('open convnet.regnet', () => s.openFile('convnet.regnet'));
        await step('hover on `dropout`', async () => {
          const text = await s.hover('dropout(p)', 'dropout', 'Srivastava');
          assert.match(text, /y = m ⊙ x \/ \(1 − rate\)/, 'the formula');
          assert.match(text, /rate — number, in \[0, 1\), required/, 'the argument with its range (and that it has no default)');
          assert.match(text, /Reference: Srivastava et al\. 2014/, 'the reference');
        });
        await step('hover on the second `conv2d`', async () => {
          const text = await s.hover('conv2d(64', 'conv2d', '18,496');
          // 3·3·32·64 + 64 = 18,496 parameters; valid 3×3 on [14, 14, 32] gives [12, 12, 64].
          assert.match(text, /\[12, 12, 64\]/, 'the output shape');
          assert.match(text, /18,496 params/, 'the parameter count');
          assert.match(text, /kernel — .*default 3/, 'the defaults of its arguments');
        });
      }),
    );

    await t.test('4. completion: layers with docs inside model { }, and only the named arguments not yet given inside a call', () =>
      scenario(s, '4-completion', async (step) => {
        await step('open convnet.regnet', () => s.openFile('convnet.regnet'));
        await step('typing `drop` on a new line inside model { } offers dropout with its docs', async () => {
          await s.clickWord('maxpool(2)', ')', { where: 'after' });
          await s.page.keyboard.press('End');
          await s.page.keyboard.press('Enter');
          await s.page.keyboard.type('drop');
          await s.page.keyboard.press('Control+Space');
          const rows = await waitFor('dropout among the completions', async () => {
            const r = await s.completionRows();
            return r.some((x) => x.name === 'dropout') ? r : undefined;
          });
          assert.ok(rows.some((x) => x.name === 'spatial_dropout'), `spatial_dropout offered too: ${JSON.stringify(rows)}`);
          assert.ok(!rows.some((x) => x.name === 'epochs'), 'no train setting inside model { }');
          await s.selectCompletion('dropout');
          const docs = await s.completionDetails();
          assert.match(docs, /Inverted dropout/, 'the docs of the focused item');
          await s.screenshot('4-completion-layers');
          await s.page.keyboard.press('Escape');
        });
        await step('inside `conv2d(8, kernel: 3, |)` only the arguments not yet given', async () => {
          await s.page.keyboard.press('Home');
          await s.page.keyboard.press('Shift+End');
          await s.page.keyboard.type('conv2d(8, kernel: 3, ');
          await s.page.keyboard.press('Control+Space');
          const rows = await waitFor('named arguments of conv2d among the completions', async () => {
            const r = await s.completionRows();
            return r.some((x) => x.name.startsWith('stride')) ? r : undefined;
          });
          const names = rows.map((x) => x.name.replace(/:$/, ''));
          for (const expected of ['stride', 'padding', 'activation', 'bias', 'init', 'l1', 'l2']) {
            assert.ok(names.includes(expected), `${expected} offered: ${names.join(', ')}`);
          }
          assert.ok(!names.includes('kernel'), `kernel is already given: ${names.join(', ')}`);
          assert.ok(!names.includes('filters'), `filters is already given (positionally): ${names.join(', ')}`);
          await s.screenshot('4-completion-arguments');
        });
      }),
    );

    await t.test('5. inlay hints: the shape after each layer is shown in the editor', () =>
      scenario(s, '5-inlay-hints', async (step) => {
        await step('open convnet.regnet', () => s.openFile('convnet.regnet'));
        await step('each layer line ends with its output shape and parameter count', async () => {
          const lines = await waitFor('inlay hints on the model lines', async () => {
            const l = await s.visibleLines();
            return l.some((x) => x.includes('[14, 14, 32]')) ? l : undefined;
          });
          const line = (start) => lines.find((l) => l.trimStart().startsWith(start)) ?? '';
          assert.match(line('conv2d(32'), /\[28, 28, 32\].*320 params/);
          assert.match(line('maxpool(2)'), /\[14, 14, 32\]/);
          assert.match(line('conv2d(64'), /\[12, 12, 64\].*18,496 params/);
          assert.match(line('flatten'), /\[9216\]|\[9,216\]/);
          assert.match(line('dense(10)'), /\[10\].*92,170 params/);
          assert.match(lines.join('\n'), /110,986/, 'the model total (320 + 18,496 + 92,170)');
        });
      }),
    );

    await t.test('6. quick fix: the light bulb rewrites adam + l2 to adamw(weight_decay: ...) and the warning disappears', () =>
      scenario(s, '6-quick-fix', async (step) => {
        await step('open adam-l2.regnet', () => s.openFile('adam-l2.regnet'));
        await step('put the cursor on the warning and open the quick fixes (Ctrl+.)', async () => {
          const squiggle = s.page.locator('.part.editor .squiggly-warning').first();
          await squiggle.waitFor({ timeout: 15000 });
          const box = await squiggle.boundingBox();
          await s.page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
          await s.page.keyboard.press('Control+.');
          await s.page.locator('.action-widget .monaco-list-row').first().waitFor({ timeout: 10000 });
        });
        await step('choose the adamw fix', async () => {
          const rows = s.page.locator('.action-widget .monaco-list-row.action');
          const fixes = await rows.evaluateAll((els) => els.map((r) => r.getAttribute('aria-label') ?? r.innerText));
          assert.ok(fixes.some((f) => /adamw/.test(f)), `an adamw quick fix among ${JSON.stringify(fixes)}`);
          await s.screenshot('6-quick-fix-menu');
          // The menu is driven with the keyboard, as a pointer-block overlay swallows clicks.
          await waitFor('the adamw fix to be focused', async () => {
            const focused = await s.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label').catch(() => '');
            if (/adamw/.test(focused ?? '')) return true;
            await s.page.keyboard.press('ArrowDown');
            return false;
          }, { timeout: 5000 });
          await s.page.keyboard.press('Enter');
        });
        await step('the spec now uses adamw(weight_decay: ...) and no longer has the warning', async () => {
          const text = await waitFor('the rewritten optimizer', async () => {
            const t = await s.documentText();
            return /adamw\(/.test(t) ? t : undefined;
          });
          assert.match(text, /optimizer: adamw\(lr: 0\.001, weight_decay: 0\.0001\)/);
          assert.doesNotMatch(text, /regularizer: l2/);
          await waitFor('no warning left', async () => {
            const c = await s.problemCounts();
            return c.warnings === 0 && c.errors === 0;
          });
          assert.equal(await s.page.locator('.part.editor .squiggly-warning').count(), 0);
        });
      }),
    );

    await t.test('7a. command "RegNet: Show model summary" shows the layer table', () =>
      scenario(s, '7a-summary', async (step) => {
        await step('open convnet.regnet', () => s.openFile('convnet.regnet'));
        await step('RegNet: Show model summary shows the layer table', async () => {
          await s.runCommand('RegNet: Show model summary');
          const text = await waitFor('the summary table in the Output panel', async () => {
            const t = await s.panelEditorText();
            return /18,496/.test(t) ? t : undefined;
          });
          assert.match(text, /conv2d.*\[28, 28, 32\].*320/);
          assert.match(text, /maxpool.*\[14, 14, 32\]/);
          assert.match(text, /dense.*\[10\].*92,170/);
          assert.match(text, /110,986/);
        });
      }),
    );

    await t.test('7b. command "RegNet: Train this spec" runs regnetc train in the terminal: progress, then the final table', () =>
      scenario(s, '7b-train', async (step) => {
        await step('open train-small.regnet', () => s.openFile('train-small.regnet'));
        await step('RegNet: Train this spec runs regnetc train in the terminal: progress, then the final table', async () => {
          await s.runCommand('RegNet: Train this spec');
          const commandLine = await waitFor('the regnetc train command line in the terminal', async () => {
            const t = await s.terminalText();
            return /train\S* .*train-small\.regnet/s.test(t) ? t : undefined;
          }, { seen: () => s.terminalText() });
          assert.match(commandLine, /regnetc\S* train .*train-small\.regnet/s, 'the command line');
          // A taller terminal, so the final table fits on screen (xterm renders only visible rows).
          await s.runCommand('View: Toggle Maximized Panel');
          const prompt = /^[^\s@]+@[^\s:]+:\S*[#$]( |$)/gm; // bash's prompt: a second one means the command ended
          const text = await waitFor('the end of training in the terminal', async () => {
            const t = await s.terminalText();
            if (/^│ *test +│/m.test(t) && /└[─┴]+┘/.test(t)) return t;
            if ((t.match(prompt) ?? []).length >= 2) throw new GiveUp(`regnetc train ended without the final table:\n${t.trim()}`);
            return undefined;
          }, { timeout: 90000, interval: 500, seen: () => s.terminalText() });
          assert.match(text, /epoch 3\/3/, 'per-epoch progress up to the last of the 3 epochs');
          assert.match(text, /^│ *final \(epoch 3\) +│/m, 'the final table has the last epoch');
        });
      }),
    );

    await t.test('8. editing survives: a half-finished line keeps the server alive and hover working', () =>
      scenario(s, '8-editing', async (step) => {
        await step('open editing.regnet', () => s.openFile('editing.regnet'));
        await step('hover works before editing', () => s.hover('dropout(0.2)', 'dropout', 'Srivastava'));
        await step('type half-finished lines into the model, one key at a time', async () => {
          await s.clickWord('dense(32', ')', { where: 'after' });
          await s.page.keyboard.press('End');
          await s.page.keyboard.press('Enter');
          await s.page.keyboard.type('conv2d(16, kernel: [3, ', { delay: 15 });
          await s.page.keyboard.press('Enter');
          await s.page.keyboard.type('dense(activation: "re  ( ] , train {', { delay: 15 });
          await s.page.keyboard.press('Enter');
          await s.page.keyboard.type('let = ', { delay: 15 });
          // Errors are expected now, and the server must still answer.
          await waitFor('diagnostics for the broken text', async () => (await s.problemCounts()).errors > 0);
        });
        await step('hover still works after the edits', () => s.hover('dropout(0.2)', 'dropout', 'Srivastava'));
        await step('the language server log shows no crash', async () => {
          const logs = s.extensionHostLogs().filter((l) => /RegNet Language Server/.test(l.path));
          assert.ok(logs.length > 0, `the RegNet Language Server output channel log exists: ${s.extensionHostLogs().map((l) => l.path).join(', ')}`);
          for (const log of logs) {
            assert.doesNotMatch(log.text, /crash|connection to server got closed|server process exited|\[error/i, `${log.path}:\n${log.text.slice(-2000)}`);
          }
          const toasts = await s.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
          assert.ok(!toasts.some((n) => /regnet/i.test(n) && /crash|stopped|error/i.test(n)), `no crash notification: ${toasts.join(' | ')}`);
        });
      }),
    );
  } finally {
    await vscode?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});
