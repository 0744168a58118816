// Regenerates the README screenshots in docs/screenshots/ (run by `npm run screenshots`):
// the freshly packaged extension in code-server, driven like the end-to-end tests.
//   hover.png        hover on a conv2d: output shape, parameter count, then its docs
//   inlay-hints.png  the shape and parameter count after each layer, the model's total
//   quick-fix.png    the adam + l2 warning in Problems and its quick fix to adamw
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { VSCodeSession, fixturesDir, missingClients, packageExtension, repoRoot } from './harness.mjs';

const outDir = join(repoRoot, 'docs', 'screenshots');

const missing = await missingClients();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'regnet-vsix-'));
let vscode;
try {
  const vsix = packageExtension(tmp);
  vscode = await VSCodeSession.start({
    vsix,
    files: readdirSync(fixturesDir).filter((f) => f.endsWith('.regnet')).map((f) => join(fixturesDir, f)),
    // Small window, crisp pixels: the images are shown at about 1000 px wide.
    viewport: { width: 1000, height: 640 },
    deviceScaleFactor: 2,
    settings: {
      'workbench.activityBar.location': 'hidden',
      'window.commandCenter': false,
      'workbench.layoutControl.enabled': false,
      'editor.renderLineHighlight': 'none',
      'editor.fontSize': 14,
    },
  });
  const s = vscode;
  mkdirSync(outDir, { recursive: true });
  const shot = async (name) => {
    const path = join(outDir, `${name}.png`);
    await s.page.screenshot({ path });
    console.log(`wrote ${relative(repoRoot, path)}`);
  };

  await s.openFile('convnet.regnet');
  await s.runCommand('View: Close Primary Side Bar');
  await s.hover('conv2d(64', 'conv2d', '18,496');
  await new Promise((r) => setTimeout(r, 400)); // let the hover finish fading in
  await shot('hover');

  await s.page.mouse.move(5, 5);
  await s.page.keyboard.press('Escape');
  await s.clickWord('train {', 'train'); // the caret away from the layers, nothing highlighted there
  await s.page.waitForTimeout(400);
  await shot('inlay-hints');

  await s.resetWorkbench();
  await s.openFile('adam-l2.regnet');
  await s.problemsRows();
  const squiggle = s.page.locator('.part.editor .squiggly-warning').first();
  const box = await squiggle.boundingBox();
  await s.page.mouse.click(box.x + Math.min(4, box.width / 2), box.y + box.height / 2);
  await s.page.keyboard.press('Control+.');
  await s.page.locator('.action-widget .monaco-list-row.action').first().waitFor({ timeout: 10000 });
  await s.page.waitForTimeout(300);
  await shot('quick-fix');
} catch (err) {
  console.error(`screenshots failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await vscode?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
