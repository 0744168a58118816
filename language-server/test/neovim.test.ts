// A real, independently written LSP client: Neovim's built-in one, headless,
// attaches the server to specs and reports the diagnostics and a hover it got.
// Without nvim the test says so and skips; with REGNET_E2E=required it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, PACKAGE_DIR, SERVER_BIN } from './helpers/lsp-client.js';

const NVIM = process.env.NVIM_BIN ?? 'nvim';

function nvimVersion(): string | undefined {
  const r = spawnSync(NVIM, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

// Neovim 0.7 (Debian 12) has vim.lsp.start_client but not vim.lsp.start; a Lua error
// inside -c would still exit 0, hence the pcall and the JSON line on stdout.
const LUA = String.raw`
local out = { diagnostics = {} }
local ok, err = pcall(function()
  local id = vim.lsp.start_client({ name = 'regnet', cmd = { 'node', os.getenv('REGNET_SERVER'), '--stdio' }, root_dir = os.getenv('REGNET_ROOT') })
  assert(id, 'vim.lsp.start_client failed')
  local client = vim.lsp.get_client_by_id(id)

  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('REGNET_MISTAKES')))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)
  assert(vim.wait(15000, function() return client.initialized end, 20), 'the server did not initialize')
  assert(vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20), 'no diagnostics arrived')
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, { code = d.code, severity = d.severity, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message })
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('REGNET_CNN')))
  local cnn = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(cnn, id)
  local res = vim.lsp.buf_request_sync(cnn, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(cnn) }, position = { line = 5, character = 4 } }, 10000)
  local answer = res and res[id]
  out.hover = answer and answer.result and answer.result.contents
  out.hover_error = answer and answer.err and answer.err.message
  vim.lsp.stop_client(id)
end)
out.ok = ok
if not ok then out.error = tostring(err) end
io.stdout:write(vim.json.encode(out) .. '\n')
vim.cmd('cquit ' .. (ok and 0 or 3))
`;

test('Neovim: diagnostics and hover through its built-in LSP client', { timeout: 60_000 }, (t) => {
  const version = nvimVersion();
  if (!version) {
    const why = `Neovim ('${NVIM}') is not installed: install the Debian package 'neovim' (bash scripts/install-editor-clients.sh) to run this test`;
    if (process.env.REGNET_E2E === 'required') assert.fail(`REGNET_E2E=required but ${why}`);
    t.skip(why);
    return;
  }
  t.diagnostic(version);
  const home = mkdtempSync(join(tmpdir(), 'regnet-nvim-'));
  try {
    const script = join(home, 'attach.lua');
    writeFileSync(script, LUA);
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_STATE_HOME: join(home, 'state'),
      XDG_CACHE_HOME: join(home, 'cache'),
      REGNET_SERVER: SERVER_BIN,
      REGNET_ROOT: PACKAGE_DIR,
      REGNET_MISTAKES: join(FIXTURES, 'mistakes.regnet'),
      REGNET_CNN: join(FIXTURES, 'mnist-cnn.regnet'),
    };
    const run = spawnSync(NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${script}`], { env, encoding: 'utf8', timeout: 45_000 });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    let out: {
      ok: boolean;
      error?: string;
      diagnostics: { code: string; severity: number; lnum: number; col: number; end_lnum: number; end_col: number; message: string }[];
      hover?: { kind: string; value: string };
      hover_error?: string;
    };
    try {
      out = JSON.parse(line);
    } catch {
      assert.fail(`nvim printed no result (exit ${run.status}, signal ${run.signal}); stderr:\n${run.stderr}`);
    }
    assert.ok(out.ok, `the Lua script failed: ${out.error}`);
    assert.equal(run.status, 0);
    // Neovim's own view: 0-based lines/columns, severity 1 = error, 2 = warning, 3 = info.
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.severity, d.lnum, d.col, d.end_lnum, d.end_col]),
      [
        ['RN208', 2, 1, 4, 1, 10],
        ['RN201', 1, 4, 2, 4, 7],
        ['RN203', 1, 5, 12, 5, 21],
        ['RN901', 3, 6, 2, 6, 14],
        ['RN502', 2, 6, 2, 6, 14],
        ['RN504', 2, 12, 4, 12, 20],
        ['RN501', 2, 19, 15, 19, 25],
        ['RN212', 1, 20, 12, 20, 17],
      ],
    );
    assert.equal(out.diagnostics[1].message, "unknown layer 'desne'; did you mean 'dense'?");
    assert.equal(out.hover_error, undefined);
    assert.equal(out.hover?.kind, 'markdown');
    assert.ok(out.hover?.value.startsWith('**Output** `[26, 26, 32]` · 320 params'), out.hover?.value);
    assert.match(out.hover!.value, /2-D convolution/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
