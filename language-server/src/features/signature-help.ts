// Signature help inside a call: the callable's signature from the catalogue
// (positional order, named arguments with defaults), the argument being typed
// highlighted, each argument's docs.
import { MarkupKind, type ParameterInformation, type SignatureHelp } from 'vscode-languageserver';
import { positionalParams, signature, type Entry, type ParamDoc } from '@regnet/compiler';
import { activeCall } from '../cursor-context.js';
import { resolveCallee } from '../catalogue-lookup.js';
import { paramMarkdown } from './hover.js';

/** Needs only the text: the catalogue knows every signature. */
export function signatureHelp(text: string, offset: number): SignatureHelp | null {
  const active = activeCall(text, offset);
  if (!active) return null;
  const entry = resolveCallee(active.call);
  if (!entry || entry.params.length === 0) return null;
  const label = signature(entry);
  const ordered = orderedParams(entry);
  const spans = parameterSpans(label, ordered.length);
  const parameters: ParameterInformation[] = ordered.map((p, i) => ({
    label: spans[i] ?? p.name,
    documentation: { kind: MarkupKind.Markdown, value: paramMarkdown(entry, p) },
  }));
  let activeParameter = -1;
  if (active.named) activeParameter = ordered.findIndex((p) => p.name === active.named);
  else if (active.positionalIndex !== undefined) {
    const positional = positionalParams(entry).find((p) => p.positional === active.positionalIndex);
    activeParameter = positional ? ordered.indexOf(positional) : -1;
  }
  return {
    signatures: [
      {
        label,
        documentation: { kind: MarkupKind.Markdown, value: entry.summary },
        parameters,
        // Out of range (no highlight) when the argument does not exist, e.g. a 3rd positional.
        activeParameter: activeParameter >= 0 ? activeParameter : ordered.length,
      },
    ],
    activeSignature: 0,
    activeParameter: activeParameter >= 0 ? activeParameter : ordered.length,
  };
}

/** The order `signature()` prints arguments in: positional ones first. */
function orderedParams(entry: Entry): ParamDoc[] {
  return [...entry.params].sort((a, b) => (a.positional ?? Infinity) - (b.positional ?? Infinity));
}

/** [start, end) offsets of each argument inside `name(a, b: [1, 2], c)` (commas in lists skipped). */
export function parameterSpans(label: string, count: number): [number, number][] {
  const open = label.indexOf('(');
  if (open < 0) return [];
  const spans: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < label.length; i++) {
    const c = label[i];
    if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && depth > 0) depth--;
    else if ((c === ',' || c === ')') && depth === 0) {
      spans.push([start, i]);
      start = i + 2; // skip ", "
      if (c === ')') break;
    }
  }
  return spans.length === count ? spans : [];
}
