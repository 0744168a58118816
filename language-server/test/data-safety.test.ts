// What a document may make the server read (issue 10): data only under the spec's
// folder (plus regnet.dataRoots and, when trusted, the workspace folders); nothing
// in an untrusted workspace or for an unsaved document; large files read in a
// worker thread, so requests are answered while the data diagnostics come later.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { positionOf, startServer } from './helpers/lsp-client.js';

const root = mkdtempSync(join(tmpdir(), 'regnet-ls-data-'));
after(() => rmSync(root, { recursive: true, force: true }));
const project = join(root, 'project');
const outside = join(root, 'outside');
mkdirSync(project);
mkdirSync(outside);
writeFileSync(join(project, 'iris.csv'), 'x1,x2,species\n1,2,setosa\n3,4,virginica\n5,6,versicolor\n');
writeFileSync(join(outside, 'secret.csv'), 'x1,x2,password\n1,2,hunter2\n3,4,swordfish\n');
const specUri = pathToFileURL(join(project, 'spec.regnet')).href;
const spec = (path: string) => `model { dense(2) }\ndata { source: csv(${JSON.stringify(path)}) }\n`;
const codes = (ds: { code?: string | number }[]) => ds.map((d) => d.code);

test('an untrusted workspace reads no data file and says so once (RN605)', async () => {
  const server = await startServer({ initializationOptions: { workspaceTrusted: false } });
  try {
    const text = `model { dense(2) }\ndata { source: csv("iris.csv") test: csv("missing.csv") }\n`;
    const diagnostics = await server.open(specUri, text);
    const notes = diagnostics.filter((d) => d.code === 'RN605');
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.severity, 3); // Information
    assert.match(String(notes[0]!.message), /^this workspace is not trusted: RegNet reads no data files here/);
    // Not even whether a file exists.
    assert.ok(!codes(diagnostics).includes('RN601'));
    assert.ok(!codes(diagnostics).includes('RN402'));
  } finally {
    await server.stop();
  }
});

test('an untitled document resolves no relative data path (not against the server\'s folder)', async () => {
  const server = await startServer();
  try {
    const diagnostics = await server.open('untitled:Untitled-1', spec('iris.csv'));
    assert.deepEqual(codes(diagnostics).filter((c) => String(c).startsWith('RN6')), ['RN605']);
  } finally {
    await server.stop();
  }
});

test('a data path outside the folder is RN604 unless regnet.dataRoots allows it', async () => {
  const secret = join(outside, 'secret.csv');
  const plain = await startServer();
  try {
    const diagnostics = await plain.open(specUri, spec(secret));
    const refused = diagnostics.filter((d) => d.code === 'RN604');
    assert.equal(refused.length, 1);
    assert.deepEqual(refused[0]!.range.start, { line: 1, character: 19 });
    assert.doesNotMatch(JSON.stringify(diagnostics), /hunter2|swordfish/);
  } finally {
    await plain.stop();
  }
  const allowed = await startServer({ initializationOptions: { dataRoots: [outside] } });
  try {
    const first = await allowed.open(specUri, spec(secret));
    assert.ok(!codes(first).includes('RN604'));
  } finally {
    await allowed.stop();
  }
});

test('a large CSV is read off the request path: hover answers at once, data diagnostics come later', async () => {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 400_000; i++) rows.push(`${i % 13},${i % 7},${['a', 'b', 'c'][i % 3]}`);
  writeFileSync(join(project, 'big.csv'), rows.join('\n'));
  const server = await startServer({ initializationOptions: { diagnostics: { debounceMs: 0 } } });
  try {
    const text = spec('big.csv');
    const order: string[] = [];
    const later = server.waitDiagnostics(specUri).then(() => server.waitDiagnostics(specUri));
    const first = await server.open(specUri, text);
    // The first check did not wait for the file: nothing about its classes yet.
    assert.ok(!codes(first).includes('RN402'), JSON.stringify(first));
    const hover = server.connection
      .sendRequest('textDocument/hover', { textDocument: { uri: specUri }, position: positionOf(text, 'dense', 1) })
      .then((h) => (order.push('hover'), h));
    const data = later.then((d) => (order.push('data diagnostics'), d));
    const [answer, withData] = await Promise.all([hover, data]);
    assert.ok(answer, 'hover answered');
    assert.deepEqual(order, ['hover', 'data diagnostics']);
    // Once read: 3 classes for a dense(2) output.
    assert.deepEqual(codes(withData).filter((c) => c === 'RN402'), ['RN402']);
  } finally {
    await server.stop();
  }
});
