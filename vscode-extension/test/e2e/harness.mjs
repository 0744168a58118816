// Drives the RegNet extension in a real VS Code: code-server 4.100.3 (from
// .e2e-tools/, see scripts/install-editor-clients.sh) in Debian's Chromium through
// playwright-core. Everything the editor writes (HOME, XDG dirs, user data,
// extensions, the workspace) lives in one temp dir removed by stop().
// The DOM facts and timings it relies on are noted where they are used.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..');
export const fixturesDir = join(here, 'fixtures');
export const outputDir = join(repoRoot, 'test-output', 'e2e');
const codeServerBin = process.env.REGNET_CODE_SERVER ?? join(repoRoot, '.e2e-tools', 'node_modules', '.bin', 'code-server');
const chromiumBin = process.env.REGNET_CHROMIUM ?? '/usr/bin/chromium';
const INSTALL_HINT = 'install with `bash scripts/install-editor-clients.sh`';

/** What is missing to run the tests, as one line; undefined when everything is there. */
export async function missingClients() {
  const missing = [];
  if (!existsSync(codeServerBin)) missing.push('code-server 4.100.3 (.e2e-tools/)');
  if (!existsSync(chromiumBin)) missing.push(`chromium (${chromiumBin})`);
  try {
    await import('playwright-core');
  } catch {
    missing.push('playwright-core (npm install)');
  }
  if (missing.length === 0) return undefined;
  return `VS Code end-to-end tests need ${missing.join(', ')}: ${INSTALL_HINT}`;
}

/**
 * Skips the test `t` with one line when a client is missing, or fails it when
 * REGNET_E2E=required (CI). Returns true when the caller should stop.
 */
export async function skipUnlessClients(t) {
  const missing = await missingClients();
  if (!missing) return false;
  if (process.env.REGNET_E2E === 'required') throw new Error(`${missing} (REGNET_E2E=required)`);
  t.skip(missing);
  return true;
}

const extensionDir = join(repoRoot, 'vscode-extension');
// What goes into the .vsix (see vscode-extension/.vscodeignore).
const PACKAGED = ['package.json', 'README.md', 'language-configuration.json', '.vscodeignore', 'dist', 'syntaxes', 'snippets', 'images'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Returns a private copy of the extension's .vsix, packaged by its own script
 * (`npm run package -w vscode-extension`, writing vscode-extension/regnet.vsix) unless
 * that file is already newer than everything that goes into it.
 */
export function packageExtension(intoDir) {
  const vsix = join(extensionDir, 'regnet.vsix');
  const fresh = existsSync(vsix) && statSync(vsix).mtimeMs >= Math.max(...PACKAGED.map((f) => newestMtime(join(extensionDir, f))));
  if (!fresh) {
    const result = spawnSync('npm', ['run', 'package', '-w', 'vscode-extension'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.status !== 0 || !existsSync(vsix)) {
      throw new Error(`packaging the extension failed (npm run package -w vscode-extension):\n${result.stdout}\n${result.stderr}`);
    }
  }
  const copy = join(intoDir, 'regnet.vsix');
  cpSync(vsix, copy);
  return copy;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a truthy value and returns that value. After `timeout`
 * ms it throws, naming `what` and showing `seen()` (what the page showed instead). A probe
 * that throws `new GiveUp(...)` ends the wait at once (e.g. the command already failed).
 */
export async function waitFor(what, probe, { timeout = 15000, interval = 150, seen } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const shown = seen ? await seen().catch((e) => `(unreadable: ${e.message})`) : lastError?.message;
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${shown === undefined ? '' : ` (seen: ${String(shown).slice(-1500)})`}`);
    }
    await sleep(interval);
  }
}

/** Thrown by a waitFor probe to stop waiting: the awaited state can no longer come. */
export class GiveUp extends Error {}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// User settings: no start page or trust prompt, quick hovers, and the DOM terminal
// renderer (the WebGL one draws on a canvas, which cannot be read back as text).
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false, // its pinned lines would cover the lines being clicked
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'merge-conflict.codeLens.enabled': false,
};

export class VSCodeSession {
  /**
   * Starts code-server on a free loopback port with the given .vsix installed and
   * `files` (paths) copied into a fresh workspace folder, then opens that folder in
   * Chromium. `settings` are added to the user settings; `viewport` and `deviceScaleFactor`
   * set the page size and the pixels per CSS pixel of screenshots.
   */
  static async start({ vsix, files = [], settings = {}, viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1 } = {}) {
    const session = new VSCodeSession();
    try {
      await session.#start({ vsix, files, settings, viewport, deviceScaleFactor });
    } catch (err) {
      await session.stop();
      throw err;
    }
    return session;
  }

  tmp = mkdtempSync(join(tmpdir(), 'regnet-e2e-'));
  userData = join(this.tmp, 'user-data');
  extensionsDir = join(this.tmp, 'extensions');
  workspace = join(this.tmp, 'workspace');
  home = join(this.tmp, 'home');
  /** @type {import('node:child_process').ChildProcess | undefined} */ server;
  serverLog = '';
  browser;
  page;

  get env() {
    const h = this.home;
    return {
      ...process.env,
      HOME: h,
      XDG_CONFIG_HOME: join(h, '.config'),
      XDG_DATA_HOME: join(h, '.local', 'share'),
      XDG_CACHE_HOME: join(h, '.cache'),
      XDG_STATE_HOME: join(h, '.local', 'state'),
      XDG_RUNTIME_DIR: join(h, 'run'),
    };
  }

  async #start({ vsix, files, settings, viewport, deviceScaleFactor }) {
    for (const d of [this.workspace, join(this.userData, 'User'), this.extensionsDir, join(this.home, 'run')]) {
      mkdirSync(d, { recursive: true });
    }
    for (const f of files) cpSync(f, join(this.workspace, basename(f)), { recursive: true });
    writeFileSync(
      join(this.userData, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
    );
    const dirs = ['--user-data-dir', this.userData, '--extensions-dir', this.extensionsDir];
    if (vsix) {
      const install = spawnSync(codeServerBin, [...dirs, '--install-extension', vsix], { env: this.env, encoding: 'utf8' });
      if (install.status !== 0 || /Failed|Error/.test(install.stdout + install.stderr)) {
        throw new Error(`code-server --install-extension ${vsix} failed:\n${install.stdout}\n${install.stderr}`);
      }
    }
    this.port = await freePort();
    this.server = spawn(
      codeServerBin,
      [
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${this.port}`,
        ...dirs,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        this.workspace,
      ],
      { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    // If this test process dies without stop(), take the detached code-server group along.
    const pid = this.server.pid;
    process.once('exit', () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already stopped */
      }
    });
    const collect = (chunk) => {
      this.serverLog += chunk;
    };
    this.server.stdout.setEncoding('utf8').on('data', collect);
    this.server.stderr.setEncoding('utf8').on('data', collect);
    const url = `http://127.0.0.1:${this.port}`;
    await waitFor('code-server /healthz', async () => {
      if (this.server.exitCode !== null) throw new Error(`code-server exited: ${this.serverLog}`);
      const res = await fetch(`${url}/healthz`);
      return res.ok;
    }, { timeout: 20000 });

    const { chromium } = await import('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumBin,
      env: this.env,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      ],
    });
    const context = await this.browser.newContext({ viewport, deviceScaleFactor });
    this.page = await context.newPage();
    await this.page.goto(`${url}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 30000 });
  }

  /** Stops Chromium and code-server (its whole process group) and removes the temp dir. */
  async stop() {
    await this.browser?.close().catch(() => {});
    const pid = this.server?.pid;
    if (pid) {
      // code-server forks an extension host, language servers and terminals; they share
      // its process group (it was started detached), so signal the group and wait for all.
      const alive = () => {
        try {
          process.kill(-pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const signal = (sig) => {
        try {
          process.kill(-pid, sig);
        } catch {
          /* already gone */
        }
      };
      signal('SIGTERM');
      const deadline = Date.now() + 5000;
      while (alive() && Date.now() < deadline) await sleep(100);
      if (alive()) signal('SIGKILL');
      while (alive()) await sleep(50);
    }
    rmSync(this.tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }

  /**
   * Runs one named step of a scenario. On failure: a screenshot and the extension host
   * logs are kept under test-output/e2e/<scenario>/ and the error names the step.
   */
  async step(scenario, name, fn) {
    try {
      return await fn();
    } catch (err) {
      const kept = await this.keepEvidence(scenario, 'FAILED').catch((e) => `(could not keep evidence: ${e.message})`);
      const error = new Error(`[${scenario}] step "${name}" failed: ${err.message}\n  kept: ${kept}`);
      error.cause = err;
      throw error;
    }
  }

  /** Saves a screenshot `test-output/e2e/<name>.png` and returns its path. */
  async screenshot(name, options = {}) {
    mkdirSync(outputDir, { recursive: true });
    const path = join(outputDir, `${name}.png`);
    await this.page.screenshot({ path, ...options });
    return path;
  }

  /** Keeps a screenshot, the extension host logs and code-server's output of a failed scenario. */
  async keepEvidence(scenario, label) {
    const dir = join(outputDir, `${scenario}-${label}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, 'screenshot.png');
    await this.page?.screenshot({ path: shot }).catch(() => {});
    const logs = join(this.userData, 'logs');
    if (existsSync(logs)) cpSync(logs, join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'code-server.log'), this.serverLog);
    return relative(repoRoot, dir);
  }

  /** Every extension-host log file (output channels included) as { path, text }. */
  extensionHostLogs() {
    const out = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.includes('exthost')) out.push({ path: relative(this.userData, path), text: readFileSync(path, 'utf8') });
      }
    };
    const logs = join(this.userData, 'logs');
    if (existsSync(logs)) walk(logs);
    return out;
  }

  // ---------------------------------------------------------------- workbench

  /**
   * Opens `name` (in the workspace root) with a click in the explorer, or through Quick
   * Open when the side bar is closed, and waits for its editor.
   */
  async openFile(name) {
    const row = this.page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) })
      .first();
    if (await row.isVisible().catch(() => false)) {
      await row.click();
    } else {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 10000 });
      await input.fill(name); // without the `>` prefix, Quick Open searches files
      await this.page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name })
        .first()
        .waitFor({ timeout: 10000 });
      await this.page.keyboard.press('Enter');
    }
    await this.page.locator(`.tabs-container .tab.active`, { hasText: name }).waitFor({ timeout: 15000 });
    await this.page.locator('.part.editor .editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15000 });
  }

  /** The language mode shown in the status bar (e.g. "RegNet"). */
  async languageMode() {
    return (await this.page.locator('#status\\.editor\\.mode').innerText()).trim();
  }

  /**
   * Counts of errors and warnings from the status bar's problems item, whose aria-label
   * names the non-zero counts ("Errors: 1", "Warnings: 1, Infos: 1"...).
   */
  async problemCounts() {
    const text = (await this.page.locator('#status\\.problems').getAttribute('aria-label')) ?? '';
    const num = (re) => Number(re.exec(text)?.[1] ?? 0);
    return { errors: num(/Errors?:\s*(\d+)/i), warnings: num(/Warnings?:\s*(\d+)/i), text };
  }

  /** Opens the Problems panel and returns its rows as { label, text }. */
  async problemsRows() {
    const panelRows = this.page.locator('.markers-panel .monaco-list-row');
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.page.locator('#status\\.problems').click();
    }
    await panelRows.first().waitFor({ timeout: 10000 });
    return panelRows.evaluateAll((rows) =>
      rows.map((r) => ({ label: r.getAttribute('aria-label') ?? '', text: r.innerText.replace(/\s+/g, ' ').trim() })),
    );
  }

  /** Closes the bottom panel (Problems, Output, Terminal) if it is open. */
  async closePanel() {
    if (await this.page.locator('.part.panel').isVisible().catch(() => false)) {
      await this.runCommand('View: Hide Panel');
    }
  }

  /** Back to an empty workbench: no widget, no open (or modified) editor, no panel. */
  async resetWorkbench() {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Escape');
    for (let i = 0; i < 5; i++) {
      const dirty = this.page.locator('.tabs-container .tab.dirty').first();
      if (!(await dirty.isVisible().catch(() => false))) break;
      await dirty.click();
      await this.runCommand('File: Revert File');
    }
    if ((await this.page.locator('.tabs-container .tab').count()) > 0) await this.runCommand('View: Close All Editors');
    await this.closePanel();
  }

  /** Runs a command by its title through the command palette (F1). */
  async runCommand(title) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10000 });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      hasText: new RegExp(escapeRegExp(title)),
    });
    await row.first().waitFor({ timeout: 10000 });
    // Prefer the exactly matching entry when several commands share a prefix.
    const labels = await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.innerText));
    const exact = labels.findIndex((l) => l.trim().startsWith(title));
    await row.nth(exact >= 0 ? exact : 0).click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => {});
  }

  // ---------------------------------------------------------------- editor text

  /** The active editor's visible lines, top to bottom, with inline (inlay) text included. */
  async visibleLines() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
      const lines = [...editor.querySelectorAll('.view-lines .view-line')];
      lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((l) => l.textContent.replace(/\u00a0/g, ' '));
    });
  }

  /** The active editor's text as rendered (the fixtures are short enough to be fully visible). */
  async documentText() {
    return (await this.visibleLines()).join('\n');
  }

  /**
   * Finds `word` on the first visible line containing `lineText` and returns its box
   * { x, y, width, height } plus the token spans covering it. With a grammar a line
   * is split into spans, so the range may start and end in different text nodes.
   */
  async wordBox(lineText, word, { occurrence = 0 } = {}) {
    const box = await this.page.evaluate(
      ({ lineText, word, occurrence }) => {
        const editor = document.querySelector('.part.editor .editor-instance .monaco-editor');
        for (const line of editor.querySelectorAll('.view-lines .view-line')) {
          const nodes = [];
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          let text = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            nodes.push({ node: n, start: text.length });
            text += n.data;
          }
          text = text.replace(/\u00a0/g, ' ');
          const at = text.indexOf(lineText);
          if (at < 0) continue;
          let start = at - 1;
          for (let i = 0; i <= occurrence; i++) {
            start = text.indexOf(word, start + 1);
            if (start < 0) return { error: `"${word}" not found in line "${text}"` };
          }
          const end = start + word.length;
          const locate = (offset) => {
            const hit = nodes.findLast((n) => n.start <= offset && offset <= n.start + n.node.data.length);
            return [hit.node, offset - hit.start];
          };
          const range = document.createRange();
          range.setStart(...locate(start));
          range.setEnd(...locate(end));
          const r = range.getBoundingClientRect();
          const spans = nodes
            .filter((n) => n.start < end && n.start + n.node.data.length > start)
            .map((n) => n.node.parentElement.className);
          return { x: r.x, y: r.y, width: r.width, height: r.height, spans };
        }
        return { error: `no visible line contains "${lineText}"` };
      },
      { lineText, word, occurrence },
    );
    if (box.error) throw new Error(box.error);
    return box;
  }

  /** Class names of the token spans of each word on a line: { word: "mtk5 ..." }. */
  async tokenClasses(lineText, words) {
    const out = {};
    for (const word of words) out[word] = (await this.wordBox(lineText, word)).spans.join(' ');
    return out;
  }

  /**
   * Moves the mouse over a word (twice, 1 px apart, so the editor notices) until a hover
   * containing `expect` shows, and returns the hover text. A hover asked for while the
   * server is still starting stays empty, so the mouse leaves and comes back every 2.5 s.
   */
  async hover(lineText, word, expect, { occurrence = 0, timeout = 15000 } = {}) {
    const matches = (text) => (expect instanceof RegExp ? expect.test(text) : text.includes(expect));
    const deadline = Date.now() + timeout;
    let seen = '';
    while (Date.now() < deadline) {
      await this.page.mouse.move(5, 5);
      await this.page.keyboard.press('Escape');
      const b = await this.wordBox(lineText, word, { occurrence });
      const x = b.x + b.width / 2;
      const y = b.y + b.height / 2;
      await this.page.mouse.move(x, y);
      await sleep(50);
      await this.page.mouse.move(x + 1, y);
      const retryAt = Math.min(deadline, Date.now() + 2500);
      while (Date.now() < retryAt) {
        seen = (await this.hoverTexts()).join('\n');
        if (matches(seen)) return seen;
        await sleep(100);
      }
    }
    throw new Error(`no hover over "${word}" showing ${expect} within ${timeout} ms (last hover text: ${JSON.stringify(seen.slice(0, 400))})`);
  }

  /** innerText of every shown hover (hidden hover elements carry the `hidden` class). */
  async hoverTexts() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.monaco-hover')]
        .filter((h) => !h.classList.contains('hidden') && h.offsetParent !== null)
        .map((h) => h.innerText)
        .filter((t) => t.trim() !== ''),
    );
  }

  /** Clicks at the start of a word (`where`: 'start', 'end', or 'after' its last character), placing the caret there. */
  async clickWord(lineText, word, { occurrence = 0, where = 'start' } = {}) {
    const b = await this.wordBox(lineText, word, { occurrence });
    const x = where === 'end' ? b.x + b.width - 1 : where === 'after' ? b.x + b.width + 1 : b.x + 1;
    await this.page.mouse.click(x, b.y + b.height / 2);
  }

  /** Rows of the suggest (completion) widget as { name, label, focused }. */
  async completionRows({ timeout = 10000 } = {}) {
    const rows = this.page.locator('.editor-widget.suggest-widget .monaco-list-row');
    await rows.first().waitFor({ timeout });
    return rows.evaluateAll((els) =>
      els.map((r) => ({
        name: (r.querySelector('.label-name')?.textContent ?? '').trim(),
        label: r.getAttribute('aria-label') ?? '',
        focused: r.classList.contains('focused'),
      })),
    );
  }

  /** Moves the suggest widget's focus (arrow keys) to the item called `name`. */
  async selectCompletion(name) {
    for (let i = 0; i < 30; i++) {
      const rows = await this.completionRows();
      if (rows.find((r) => r.focused)?.name === name) return;
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`completion item "${name}" not reachable with the arrow keys`);
  }

  /** The text of the suggest widget's docs pane, opening it (Ctrl+Space while the list is open) if needed. */
  async completionDetails() {
    const details = this.page.locator('.suggest-details-container .suggest-details');
    if (!(await details.isVisible().catch(() => false))) await this.page.keyboard.press('Control+Space');
    return waitFor('the completion docs pane', async () => {
      const t = await details.innerText().catch(() => '');
      return t.trim() ? t : undefined;
    });
  }

  /** The lines of the text editor shown in the bottom panel (the Output view), top to bottom. */
  async panelEditorText() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.part.panel .monaco-editor');
      if (!editor) return '';
      const lines = [...editor.querySelectorAll('.view-lines .view-line')];
      lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n');
    });
  }

  /** The integrated terminal's rows as text (DOM renderer, see DEFAULT_SETTINGS). */
  async terminalText() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.part.panel .xterm .xterm-rows > div')]
        .map((row) => row.textContent.replace(/\u00a0/g, ' '))
        .join('\n'),
    );
  }
}
