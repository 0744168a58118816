// Formatting with the compiler's formatter (the same as `regnetc fmt`). The edit
// covers only the changed middle of the file, so the cursor and folds outside it
// stay put. A file with syntax errors is left alone (the formatter says so).
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatText } from '../compiler-api.js';

export function formattingEdits(doc: TextDocument): TextEdit[] {
  const before = doc.getText();
  const after = formatText(before).text;
  if (after === undefined || after === before) return [];
  return [minimalEdit(doc, before, after)];
}

/** One edit replacing only what differs between `before` and `after`. */
export function minimalEdit(doc: TextDocument, before: string, after: string): TextEdit {
  let start = 0;
  const maxStart = Math.min(before.length, after.length);
  while (start < maxStart && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return {
    range: { start: doc.positionAt(start), end: doc.positionAt(endBefore) },
    newText: after.slice(start, endAfter),
  };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
