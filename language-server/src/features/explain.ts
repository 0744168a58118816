// `regnet/explain`: the docs entry for the word at a position, or for a name or
// diagnostic code given directly (the VS Code "RegNet: Explain" command).
import type { Position } from 'vscode-languageserver';
import { CODES, findEntries, renderMarkdown } from '@regnet/compiler';
import type { Analysis } from '../documents.js';
import type { ExplainParams, ExplainResult } from '../protocol.js';
import { hoverMarkdown } from './hover.js';

export function explainName(name: string): ExplainResult | null {
  const code = name.toUpperCase();
  if (code in CODES) {
    const info = CODES[code as keyof typeof CODES];
    return { name: code, markdown: `**${code}** (${info.severity}) — ${info.title}` };
  }
  const entries = findEntries(name);
  if (entries.length === 0) return null;
  return { name, markdown: entries.map(renderMarkdown).join('\n\n---\n\n') };
}

export function explain(
  params: ExplainParams,
  analysisOf: (uri: string) => Analysis | undefined,
  offsetOf: (uri: string, position: Position) => number,
): ExplainResult | null {
  if (params.name) return explainName(params.name);
  if (!params.textDocument || !params.position) return null;
  const analysis = analysisOf(params.textDocument.uri);
  if (!analysis) return null;
  const found = hoverMarkdown(analysis, offsetOf(analysis.uri, params.position));
  return found ? { name: found.name, markdown: found.markdown } : null;
}
