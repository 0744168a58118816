// Takes the README's screenshots: code-server (VS Code 1.100 in Chromium) with the
// packaged regnet.vsix installed and a spec open: images/screenshot.png (inlay
// hints, a warning squiggle, the outline, the Problems panel) and
// images/screenshot-hover.png (the hover on a layer). Needs scripts/install-editor-clients.sh
// (code-server in .e2e-tools/) and `npm run package -w vscode-extension`.
//   node vscode-extension/scripts/screenshot.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const EXT = dirname(dirname(fileURLToPath(import.meta.url)));
const CODE_SERVER = join(EXT, '..', '.e2e-tools', 'node_modules', '.bin', 'code-server');
const PORT = 18000 + Math.floor(Math.random() * 1000);
const SPEC = `# Dropout and weight decay on MNIST
let p = 0.3

model cnn {
  conv2d(32, kernel: 3, padding: valid, activation: relu)
  maxpool(2)
  flatten
  dense(128, activation: relu)
  dropout(p)
  dense(10)
}

data {
  source: mnist()
  subset: 5000
}

train {
  epochs: 10
  optimizer: adam(lr: 0.001)
  regularizer: l2(0.0001)
}
`;

const home = mkdtempSync(join(tmpdir(), 'regnet-shot-'));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache') };
const userData = join(home, 'user');
const extensions = join(home, 'extensions');
const workspace = join(home, 'workspace');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(workspace);
writeFileSync(join(workspace, 'mnist.regnet'), SPEC);
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.fontSize': 14,
  'editor.minimap.enabled': false,
  'workbench.tips.enabled': false,
  'chat.commandCenter.enabled': false,
}));

const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
const install = spawnSync(CODE_SERVER, [...common, '--install-extension', join(EXT, 'regnet.vsix')], { env, encoding: 'utf8' });
if (install.status !== 0) throw new Error(`install failed: ${install.stderr}`);
const server = spawn(CODE_SERVER, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${PORT}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace], { env, stdio: 'ignore' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'mnist.regnet' }).click();
  await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('.view-lines')?.textContent?.includes('conv2d'));
  await page.waitForTimeout(1500); // inlay hints and semantic colours
  await page.locator('.pane-header', { hasText: 'Outline' }).click();
  await page.locator('#status\\.problems').click();
  await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 20_000 });
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(EXT, 'images', 'screenshot.png') });
  await page.keyboard.press('Escape');
  // Hover `conv2d`: find the word's box in the rendered lines.
  const box = await page.evaluate(() => {
    for (const span of document.querySelectorAll('.view-lines span span')) {
      const i = span.textContent?.indexOf('conv2d') ?? -1;
      if (i < 0 || !span.firstChild) continue;
      const range = document.createRange();
      range.setStart(span.firstChild, i);
      range.setEnd(span.firstChild, i + 6);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    return undefined;
  });
  if (!box) throw new Error('conv2d not found in the editor');
  await page.mouse.move(box.x, box.y);
  await page.mouse.move(box.x + 1, box.y);
  await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover')].some((h) => h.textContent?.includes('params')), undefined, { timeout: 20_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(EXT, 'images', 'screenshot-hover.png'), clip: { x: 348, y: 40, width: 932, height: 460 } });
  console.log('written images/screenshot.png, images/screenshot-hover.png');
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(home, { recursive: true, force: true });
}
