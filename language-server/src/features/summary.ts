// `regnet/summary`: the model's layer table (as `regnetc summary`), computed here
// so the VS Code extension (and any other client) only has to display it.
import { modelSummary, renderSummary, type SummaryRow as CompilerSummaryRow } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { toLspRange } from '../positions.js';

export const SUMMARY_REQUEST = 'regnet/summary';

export interface SummaryParams {
  textDocument: { uri: string };
}

export interface SummaryRow extends Omit<CompilerSummaryRow, 'range'> {
  /** 0-based line of the layer. */
  line: number;
}

export interface SummaryResult {
  name: string;
  inputShape?: CompilerSummaryRow['inputShape'];
  rows: SummaryRow[];
  totalParams?: number;
  errors: number;
  warnings: number;
  /** The table as plain text, ready for an output channel or a terminal. */
  text: string;
}

export function summary(analysis: Analysis): SummaryResult {
  const table = modelSummary(analysis.model, analysis.ast);
  const rows: SummaryRow[] = table.rows.map(({ range, ...row }) => ({ ...row, line: toLspRange(range).start.line }));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning').length;
  const problems = errors + warnings > 0 ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (see Problems)\n` : '';
  return { name: table.name, inputShape: table.inputShape, rows, totalParams: table.totalParams, errors, warnings, text: renderSummary(table) + problems };
}
