// The requests this server answers beyond LSP, declared once for the server and its
// clients (the VS Code extension imports this module: `@regnet/language-server/protocol`).
// Types and names only, so a client's bundle gains nothing else from it.

/** A position in LSP terms: 0-based line and UTF-16 character. */
export interface ProtocolPosition {
  line: number;
  character: number;
}

/** `regnet/summary`: the model's layer table, as `regnetc summary` prints it. */
export const SUMMARY_REQUEST = 'regnet/summary';

export interface SummaryParams {
  textDocument: { uri: string };
}

export interface SummaryRow {
  /** Nesting depth (layers of repeat/residual blocks are 1 deeper). */
  depth: number;
  /** The layer as written, e.g. `conv2d(32, kernel: 3)` or `dense(64) as hidden`. */
  layer: string;
  inputShape?: number[];
  outputShape?: number[];
  params?: number;
  /** 0-based line of the layer. */
  line: number;
}

/** The answer to `regnet/summary`; null when the server does not have the document. */
export interface SummaryResult {
  name: string;
  inputShape?: number[];
  rows: SummaryRow[];
  totalParams?: number;
  errors: number;
  warnings: number;
  /** The table as plain text, ready for an output channel or a terminal. */
  text: string;
}

/** `regnet/explain`: the docs of the word at a position, or of a name or diagnostic code. */
export const EXPLAIN_REQUEST = 'regnet/explain';

export interface ExplainParams {
  /** Explain the word at this position... */
  textDocument?: { uri: string };
  position?: ProtocolPosition;
  /** ...or this name (`dropout`, `adamw`, `RN501`). */
  name?: string;
}

/** The answer to `regnet/explain`; null when there is nothing to explain there. */
export interface ExplainResult {
  name: string;
  markdown: string;
}
