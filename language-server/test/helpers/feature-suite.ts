// Feature tests on the in-process server, in the style of Langium's test helpers:
// write the spec with markers and say what the feature must answer there.
//   <|>           the cursor                 expectHover('model { dro<|>pout(0.5) }', /inverted dropout/)
//   <|  ...  |>   a range (numbered in order)  expectDiagnostics('model { <|desne|>(10) }', [{ code: 'RN201', range: 0 }])
// `featureSuite()` starts one server for the test file (before/after) with the two
// fixture specs open, and fails the file if any handler logged an error.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Range, TextEdit } from 'vscode-languageserver-protocol';
import { FIXTURES, fixtureUri, type TestServer } from './lsp-client.js';
import { startInProcess } from './in-process.js';

export const CNN = readFileSync(join(FIXTURES, 'mnist-cnn.regnet'), 'utf8');
export const MISTAKES = readFileSync(join(FIXTURES, 'mistakes.regnet'), 'utf8');
export const cnnUri = fixtureUri('mnist-cnn.regnet');
export const mistakesUri = fixtureUri('mistakes.regnet');

export type Position = { line: number; character: number };

export const range = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'regnet', 1, text), edits);
}

/** The text without its markers, the cursor's position and the marked ranges. */
export function parseMarkers(marked: string): { text: string; cursor?: Position; ranges: Range[] } {
  let text = '';
  let cursorOffset: number | undefined;
  const starts: number[] = [];
  const offsets: [number, number][] = [];
  for (let i = 0; i < marked.length; ) {
    if (marked.startsWith('<|>', i)) {
      cursorOffset = text.length;
      i += 3;
    } else if (marked.startsWith('<|', i)) {
      starts.push(text.length);
      i += 2;
    } else if (marked.startsWith('|>', i)) {
      const start = starts.pop();
      if (start === undefined) throw new Error(`'|>' without '<|' at ${i}`);
      offsets.push([start, text.length]);
      i += 2;
    } else text += marked[i++];
  }
  if (starts.length) throw new Error("'<|' without '|>'");
  const doc = TextDocument.create('file:///x', 'regnet', 1, text);
  offsets.sort((a, b) => a[0] - b[0]);
  return {
    text,
    cursor: cursorOffset === undefined ? undefined : doc.positionAt(cursorOffset),
    ranges: offsets.map(([s, e]) => ({ start: doc.positionAt(s), end: doc.positionAt(e) })),
  };
}

export function hoverText(h: Hover | null): string {
  return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
}

export interface ExpectedDiagnostic {
  code: string;
  /** Index of the `<| |>` range the diagnostic must cover exactly. */
  range?: number;
  message?: string | RegExp;
  severity?: Diagnostic['severity'];
}

export interface FeatureSuite {
  readonly server: TestServer;
  /** Diagnostics of the fixtures as first published. */
  readonly cnnDiagnostics: Diagnostic[];
  readonly mistakesDiagnostics: Diagnostic[];
  request<R>(method: string, uri: string, params?: object): Promise<R>;
  /** Opens a fresh document (markers removed); its diagnostics, cursor and ranges. */
  open(marked: string): Promise<{ uri: string; text: string; position: Position; ranges: Range[]; diagnostics: Diagnostic[] }>;
  hover(marked: string): Promise<Hover | null>;
  expectHover(marked: string, expected: string | RegExp | null): Promise<Hover | null>;
  completion(marked: string): Promise<CompletionItem[]>;
  expectCompletion(marked: string, expected: { exactly?: string[]; includes?: string[]; excludes?: string[] }): Promise<CompletionItem[]>;
  expectDiagnostics(marked: string, expected: ExpectedDiagnostic[]): Promise<Diagnostic[]>;
  expectFormatting(input: string, expected: string): Promise<TextEdit[]>;
  /** Applies the code action titled `title` offered at the cursor (or the first range) and compares the text. */
  expectCodeAction(marked: string, title: string | RegExp, expected: string): Promise<CodeAction>;
}

export function featureSuite(): FeatureSuite {
  let server: TestServer | undefined;
  let count = 0;
  const state = { cnnDiagnostics: [] as Diagnostic[], mistakesDiagnostics: [] as Diagnostic[] };

  before(async () => {
    server = await startInProcess();
    state.cnnDiagnostics = await server.open(cnnUri, CNN);
    state.mistakesDiagnostics = await server.open(mistakesUri, MISTAKES);
  });

  after(async () => {
    await server?.stop();
    // A handler that threw would have logged its name; none may have.
    assert.doesNotMatch(server?.logs.join('') ?? '', /^\[\w+\]/m, server?.logs.join(''));
  });

  const live = () => {
    if (!server) throw new Error('the suite\'s server is not started (call featureSuite() at the top of the test file)');
    return server;
  };
  const request = <R>(method: string, uri: string, params: object = {}) =>
    live().connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<R>;

  const suite: FeatureSuite = {
    get server() {
      return live();
    },
    get cnnDiagnostics() {
      return state.cnnDiagnostics;
    },
    get mistakesDiagnostics() {
      return state.mistakesDiagnostics;
    },
    request,
    async open(marked) {
      const { text, cursor, ranges } = parseMarkers(marked);
      const uri = pathToFileURL(join(FIXTURES, `scratch-${++count}.regnet`)).href;
      const diagnostics = await live().open(uri, text);
      return { uri, text, position: cursor ?? ranges[0]?.start ?? { line: 0, character: 0 }, ranges, diagnostics };
    },
    async hover(marked) {
      const { uri, position } = await suite.open(marked);
      return request<Hover | null>('textDocument/hover', uri, { position });
    },
    async expectHover(marked, expected) {
      const h = await suite.hover(marked);
      if (expected === null) assert.equal(h, null, `expected no hover, got ${hoverText(h)}`);
      else if (typeof expected === 'string') assert.equal(hoverText(h), expected);
      else assert.match(hoverText(h), expected);
      return h;
    },
    async completion(marked) {
      const { uri, position } = await suite.open(marked);
      const result = await request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', uri, { position });
      return Array.isArray(result) ? result : result.items;
    },
    async expectCompletion(marked, expected) {
      const items = await suite.completion(marked);
      const labels = items.map((i) => i.label);
      if (expected.exactly) assert.deepEqual([...labels].sort(), [...expected.exactly].sort());
      for (const label of expected.includes ?? []) assert.ok(labels.includes(label), `'${label}' not offered; got ${labels.join(', ')}`);
      for (const label of expected.excludes ?? []) assert.ok(!labels.includes(label), `'${label}' offered`);
      return items;
    },
    async expectDiagnostics(marked, expected) {
      const { diagnostics, ranges } = await suite.open(marked);
      const describe = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${JSON.stringify(d.range)} ${d.message}`).join('\n');
      assert.deepEqual(diagnostics.map((d) => d.code), expected.map((e) => e.code), describe(diagnostics));
      diagnostics.forEach((d, i) => {
        const e = expected[i]!;
        if (e.range !== undefined) assert.deepEqual(d.range, ranges[e.range], `${e.code} range`);
        const message = typeof d.message === 'string' ? d.message : d.message.value;
        if (typeof e.message === 'string') assert.equal(message, e.message);
        else if (e.message) assert.match(message, e.message);
        if (e.severity !== undefined) assert.equal(d.severity, e.severity, `${e.code} severity`);
      });
      return diagnostics;
    },
    async expectFormatting(input, expected) {
      const { uri, text } = await suite.open(input);
      const edits = await request<TextEdit[]>('textDocument/formatting', uri, { options: { tabSize: 2, insertSpaces: true } });
      assert.equal(applyEdits(text, edits), expected);
      return edits;
    },
    async expectCodeAction(marked, title, expected) {
      const { uri, text, position, diagnostics } = await suite.open(marked);
      const actions = await request<CodeAction[]>('textDocument/codeAction', uri, { range: { start: position, end: position }, context: { diagnostics } });
      const action = actions.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
      assert.ok(action, `no code action ${title}; offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(applyEdits(text, action.edit!.changes![uri]!), expected);
      return action;
    },
  };
  return suite;
}
