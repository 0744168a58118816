// Go to definition, find references and rename for `let` constants (declaration,
// every reference, and the `sweep` keys that name them).
import { ResponseError, ErrorCodes, type Location, type Range as LspRange, type WorkspaceEdit } from 'vscode-languageserver';
import type { Analysis } from '../documents.js';
import { constantAt, constantOccurrences } from '../model-index.js';
import { toLspRange } from '../positions.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['let', 'model', 'data', 'train', 'sweep', 'augment', 'true', 'false', 'as']);

export function definition(analysis: Analysis, offset: number): Location | null {
  const constant = constantAt(analysis, offset);
  if (!constant?.decl?.name) return null;
  return { uri: analysis.uri, range: toLspRange(constant.decl.name.range) };
}

export function references(analysis: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const constant = constantAt(analysis, offset);
  if (!constant) return [];
  return constantOccurrences(analysis, constant, includeDeclaration).map((range) => ({
    uri: analysis.uri,
    range: toLspRange(range),
  }));
}

export function prepareRename(analysis: Analysis, offset: number): { range: LspRange; placeholder: string } | null {
  const constant = constantAt(analysis, offset);
  if (!constant) return null;
  const here = constantOccurrences(analysis, constant, true).find(
    (r) => r.start.offset <= offset && offset <= r.end.offset,
  );
  return here ? { range: toLspRange(here), placeholder: constant.name } : null;
}

export function rename(analysis: Analysis, offset: number, newName: string): WorkspaceEdit | ResponseError | null {
  const constant = constantAt(analysis, offset);
  if (!constant) return null;
  // A bad name is the user's mistake, not a server failure: say why.
  if (!IDENT.test(newName) || KEYWORDS.has(newName)) {
    return new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid constant name`);
  }
  if (newName !== constant.name && analysis.model?.constants.has(newName)) {
    return new ResponseError(ErrorCodes.InvalidParams, `A constant named '${newName}' already exists`);
  }
  const edits = constantOccurrences(analysis, constant, true).map((range) => ({
    range: toLspRange(range),
    newText: newName,
  }));
  return { changes: { [analysis.uri]: edits } };
}
