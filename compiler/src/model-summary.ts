// The model's layer table, like Keras' `model.summary()`: one builder of rows and one
// renderer, shared by `regnetc summary` and the language server's `regnet/summary`.
import type { Range, RegnetFile } from './ast.js';
import { printCall } from './format.js';
import type { Shape } from './ir.js';
import type { LayerInfo, SemanticModel } from './semantic-model.js';
import { formatCount } from './format-count.js';

export { formatCount };

/** `[28, 28, 1]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}


export interface SummaryRow {
  /** Nesting depth (layers of repeat/residual blocks are 1 deeper). */
  depth: number;
  /** The layer as written, e.g. `conv2d(32, kernel: 3)` or `dense(64) as hidden`. */
  layer: string;
  inputShape?: Shape;
  outputShape?: Shape;
  params?: number;
  /** Where the layer is written. */
  range?: Range;
}

export interface ModelSummary {
  name: string;
  inputShape?: Shape;
  rows: SummaryRow[];
  totalParams?: number;
}

/** The rows of the table, nested layers after their block. */
export function summaryRows(layers: readonly LayerInfo[] | undefined, depth = 0, out: SummaryRow[] = []): SummaryRow[] {
  for (const info of layers ?? []) {
    out.push({
      depth,
      layer: (info.layer?.call ? printCall(info.layer.call) : info.name) + (info.layer?.alias ? ` as ${info.layer.alias.name}` : ''),
      inputShape: info.inputShape,
      outputShape: info.outputShape,
      params: info.params,
      range: info.layer?.range,
    });
    summaryRows(info.children, depth + 1, out);
  }
  return out;
}

/** The summary of a checked file; the table is titled with the model's name (`model mlp { }`), else `model`. */
export function modelSummary(model: SemanticModel | undefined, ast: RegnetFile | undefined): ModelSummary {
  const decl = ast?.decls.find((d) => d?.kind === 'model');
  const name = decl?.kind === 'model' && decl.name ? decl.name.name : 'model';
  return { name, inputShape: model?.data?.inputShape, rows: summaryRows(model?.layers), totalParams: model?.totalParams };
}

/** The table as plain text (Layer, Output shape, Params), ending with the total and a newline. */
export function renderSummary(s: ModelSummary): string {
  const show = (shape: Shape | undefined) => (shape ? formatShape(shape) : '?');
  const count = (n: number | undefined) => (n === undefined ? '?' : formatCount(n));
  const body: string[][] = [
    ['input', show(s.inputShape), '0'],
    ...s.rows.map((r) => ['  '.repeat(r.depth) + r.layer, show(r.outputShape), count(r.params)]),
  ];
  const head = ['Layer', 'Output shape', 'Params'];
  // reduce, not Math.max(...): a generated model may have more rows than a call takes arguments.
  const widths = head.map((h, i) => body.reduce((w, row) => Math.max(w, row[i]!.length), h.length));
  const line = (row: string[]) => row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [`Model: ${s.name}`, rule, line(head), rule, ...body.map(line), rule, `Total params: ${count(s.totalParams)}`].join('\n') + '\n';
}
