// The shape of the docs catalogue: one record per documented word. The same data
// drives validation (types, ranges, defaults, accepted words), hover, completion,
// signature help and `regnetc explain`.
import type { JsonValue } from '../ir.js';

export type Category =
  | 'keyword' // let, model, data, train, sweep, augment, as, true, false
  | 'layer'
  | 'section-setting' // a key inside data / train / sweep / early_stopping
  | 'source'
  | 'augmentation'
  | 'optimizer'
  | 'schedule'
  | 'loss'
  | 'regularizer'
  | 'clip'
  | 'enum-word' // a word accepted as a value: relu, same, val_loss, best, ...
  | 'metric';

/** What a value may be. `call` values name the category of callables accepted. */
export type ValueType =
  | { type: 'int' }
  | { type: 'number' }
  | { type: 'bool' }
  | { type: 'string' }
  | { type: 'path' }
  | { type: 'enum'; values: string[] }
  | { type: 'list'; of: ValueType; length?: number }
  /** e.g. `kernel: 3` or `kernel: [3, 5]` */
  | { type: 'int-or-list'; length?: number }
  | { type: 'call'; category: Category }
  /** either of several types, e.g. `validation: 0.1` or `validation: mnist(split: test)` */
  | { type: 'union'; of: ValueType[] };

export interface ParamDoc {
  name: string;
  value: ValueType;
  summary: string;
  /** Absent means required (unless `optional`). */
  default?: JsonValue;
  /** True when there is no default but the argument may be omitted. */
  optional?: boolean;
  /** Index in the positional order, when the argument may be given positionally. */
  positional?: number;
  min?: number;
  max?: number;
  /** When true, `min`/`max` themselves are not allowed. */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** Allowed numeric values when only a few are valid (e.g. image `channels`: 1 or 3). */
  choices?: JsonValue[];
  /** When the default is another argument's value, e.g. pooling `stride` defaults to `size`. */
  defaultFrom?: string;
  /** The argument, or its default, was added after the language's v1 (docs/language.md §8). */
  extension?: boolean;
}

export interface Entry {
  name: string;
  category: Category;
  /** One sentence. */
  summary: string;
  /** Longer explanation (markdown allowed), shown in hover and `explain`. */
  details?: string;
  /** The formula in plain text/unicode, e.g. `y = x·W + b`. */
  formula?: string;
  /** Paper or textbook section. */
  reference?: string;
  params: ParamDoc[];
  /** For layers: whether a `{ }` block of layers is required (`repeat`, `residual`). */
  block?: 'layers';
  /** For section settings: the section(s) they belong to, e.g. `train` or `early_stopping`. */
  section?: string[];
  /** A short example as it would be written in a spec. */
  example?: string;
  /** For section settings: the type of `key: value` and its default. */
  value?: ValueType;
  default?: JsonValue;
  /** Additions since the language's v1 are marked, so docs can say so. */
  extension?: boolean;
  /** For section settings: range of a numeric value (same meaning as on ParamDoc). */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** For section settings: the setting must be written (e.g. `data.source`). */
  required?: boolean;
  /** For section settings written as `key { ... }`: what the block holds (`augment`: calls, `early_stopping`: settings). */
  blockContent?: 'calls' | 'settings';
  /** For enum words: the value lists they belong to, e.g. `activation`, `checkpoint`, `normalize`. */
  groups?: string[];
  /**
   * Engines that cannot run this construct, each with what to use instead (shown by
   * `regnetc check --engine E` as RN701). Absent: runs on every engine.
   */
  unsupportedOn?: Partial<Record<Engine, string>>;
}

/** The training engines: TensorFlow.js (the default) and PyTorch (`--engine torch`). */
export const ENGINES = ['tfjs', 'torch'] as const;
export type Engine = (typeof ENGINES)[number];
