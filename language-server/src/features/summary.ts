// `regnet/summary`: the model's layer table (as `regnetc summary`), computed here
// so the VS Code extension (and any other client) only has to display it.
import { printCall, type Shape } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { flattenLayers } from '../model-index.js';
import { toLspRange } from '../positions.js';
import { formatCount, formatShape } from './format-values.js';

export const SUMMARY_REQUEST = 'regnet/summary';

export interface SummaryParams {
  textDocument: { uri: string };
}

export interface SummaryRow {
  /** Nesting depth (layers of repeat/residual blocks are 1 deeper). */
  depth: number;
  /** The layer as written, e.g. `conv2d(32, kernel: 3)` or `dense(64) as hidden`. */
  layer: string;
  inputShape?: Shape;
  outputShape?: Shape;
  params?: number;
  /** 0-based line of the layer. */
  line: number;
}

export interface SummaryResult {
  name: string;
  inputShape?: Shape;
  rows: SummaryRow[];
  totalParams?: number;
  errors: number;
  warnings: number;
  /** The table as plain text, ready for an output channel or a terminal. */
  text: string;
}

export function summary(analysis: Analysis): SummaryResult {
  const model = analysis.model;
  const decl = analysis.ast?.decls.find((d) => d?.kind === 'model');
  const name = decl?.kind === 'model' && decl.name ? decl.name.name : 'model';
  const rows: SummaryRow[] = flattenLayers(model?.layers).map(({ info, depth }) => ({
    depth,
    layer: (info.layer?.call ? printCall(info.layer.call) : info.name) + (info.layer?.alias ? ` as ${info.layer.alias.name}` : ''),
    inputShape: info.inputShape,
    outputShape: info.outputShape,
    params: info.params,
    line: toLspRange(info.layer?.range).start.line,
  }));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning').length;
  const result: SummaryResult = {
    name,
    inputShape: model?.data?.inputShape,
    rows,
    totalParams: model?.totalParams,
    errors,
    warnings,
    text: '',
  };
  result.text = renderTable(result);
  return result;
}

function renderTable(s: SummaryResult): string {
  const show = (shape: Shape | undefined) => (shape ? formatShape(shape) : '?');
  const count = (n: number | undefined) => (n === undefined ? '?' : formatCount(n));
  const body: string[][] = [
    ['input', show(s.inputShape), '0'],
    ...s.rows.map((r) => ['  '.repeat(r.depth) + r.layer, show(r.outputShape), count(r.params)]),
  ];
  const head = ['Layer', 'Output shape', 'Params'];
  const widths = head.map((h, i) => body.reduce((w, row) => Math.max(w, row[i].length), h.length));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const problems =
    s.errors + s.warnings > 0 ? `\n${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'} (see Problems)` : '';
  return [`Model: ${s.name}`, rule, line(head), rule, ...body.map(line), rule, `Total params: ${count(s.totalParams)}`].join('\n') + problems + '\n';
}
