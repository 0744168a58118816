// `regnet/summary`: the model's layer table (as `regnetc summary`), computed here
// so the VS Code extension (and any other client) only has to display it.
import { modelSummary, renderSummary } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import { toLspRange } from '../positions.js';
import type { SummaryResult, SummaryRow } from '../protocol.js';

export function summary(analysis: Analysis): SummaryResult {
  const table = modelSummary(analysis.model, analysis.ast);
  const rows: SummaryRow[] = table.rows.map(({ range, ...row }) => ({ ...row, line: toLspRange(range).start.line }));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning').length;
  const problems = errors + warnings > 0 ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (see Problems)\n` : '';
  return { name: table.name, inputShape: table.inputShape, rows, totalParams: table.totalParams, errors, warnings, text: renderSummary(table) + problems };
}
