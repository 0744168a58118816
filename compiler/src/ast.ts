// The syntax tree of a .regnet file. Every node carries its source range so that
// diagnostics, hover, inlay hints and formatting can point back at the text.
// Nodes produced by error recovery may lack children (e.g. a setting without a
// value): consumers must treat every optional field as possibly missing.

/** A point in the source. `line` and `column` are 1-based; `offset` is 0-based. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range: `end` points just past the last character. */
export interface Range {
  start: Position;
  end: Position;
}

export interface Ident {
  kind: 'ident';
  name: string;
  range: Range;
}

export interface NumberLit {
  kind: 'number';
  value: number;
  /** The literal as written, e.g. `1e-4`, so the formatter keeps it. */
  text: string;
  range: Range;
}

export interface StringLit {
  kind: 'string';
  value: string;
  /** The literal as written, with quotes and escapes. */
  text: string;
  range: Range;
}

export interface BoolLit {
  kind: 'bool';
  value: boolean;
  range: Range;
}

export interface ListLit {
  kind: 'list';
  items: Value[];
  range: Range;
}

/** A bare identifier used as a value: a `let` reference or an enum word (decided by the checker). */
export interface NameRef {
  kind: 'name';
  name: string;
  range: Range;
}

/** `name(args)`; `name` alone parses as a NameRef, not a Call, when used as a value. */
export interface Call {
  kind: 'call';
  name: Ident;
  args: Arg[];
  /** True when `(` was written (a layer `relu` has no parens). */
  hasParens: boolean;
  /** Range of `(` ... `)`, when written; the end may be missing after a syntax error. */
  argsRange?: Range;
  range: Range;
}

export interface Arg {
  kind: 'arg';
  /** The name of a named argument (`lr: 0.1`); absent for positional ones. */
  name?: Ident;
  value?: Value;
  range: Range;
}

export type Value = NumberLit | StringLit | BoolLit | ListLit | NameRef | Call;

export interface LetDecl {
  kind: 'let';
  name?: Ident;
  value?: Value;
  range: Range;
}

export interface Layer {
  kind: 'layer';
  call: Call;
  /** `as NAME` */
  alias?: Ident;
  /** The `{ ... }` block of `repeat` / `residual`. */
  block?: Block;
  range: Range;
}

export interface Block {
  layers: Layer[];
  range: Range;
}

export interface ModelDecl {
  kind: 'model';
  keyword: Range;
  name?: Ident;
  layers: Layer[];
  /** Range of the braces and what is between them. */
  body: Range;
  range: Range;
}

/** `key: value` or `key { ... }` (the block form, e.g. `augment { ... }`, `early_stopping { ... }`). */
export interface Setting {
  kind: 'setting';
  key: Ident;
  value?: Value;
  block?: SettingBlock;
  range: Range;
}

export interface SettingBlock {
  items: (Setting | Call)[];
  range: Range;
}

export type SectionKind = 'data' | 'train' | 'sweep';

export interface SectionDecl {
  kind: SectionKind;
  keyword: Range;
  settings: Setting[];
  body: Range;
  range: Range;
}

export type Decl = LetDecl | ModelDecl | SectionDecl;

export interface Comment {
  /** The text including the leading `#`. */
  text: string;
  range: Range;
}

export interface RegnetFile {
  kind: 'file';
  decls: Decl[];
  comments: Comment[];
  range: Range;
}

