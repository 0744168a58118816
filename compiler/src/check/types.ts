// Intermediate results of the semantic pass shared between its modules.
import type { Call, Layer, Range, Setting } from '../ast.js';
import type { Entry } from '../catalogue/types.js';
import type { JsonValue } from '../ir.js';
import type { LayerInfo, SymbolRef } from '../semantic-model.js';

/** A callable after argument checking: every argument resolved, defaults filled in. */
export interface CheckedCall {
  /** The catalogue name (`adamw`), also when written as a bare word. */
  name: string;
  entry: Entry;
  args: Record<string, JsonValue>;
  /** Arguments written in the source (not filled from defaults). */
  written: Set<string>;
  /** Where each written argument's value is (the use site when it came from a `let`). */
  argRanges: Map<string, Range>;
  /** The call as written; undefined when it came from a default. */
  call?: Call;
  range?: Range;
  /** False when any argument was rejected: later stages then stay quiet about it. */
  valid: boolean;
  /** The symbol recorded for the callable's name (the language server reads it). */
  symbol?: SymbolRef;
}

export interface CheckedLayer {
  layer: Layer;
  /** Catalogue name (the written name when unknown). */
  name: string;
  /** Undefined for an unknown layer. */
  checked?: CheckedCall;
  children: CheckedLayer[];
  info: LayerInfo;
}

/** What a data source gives the model. */
export interface SourceFacts {
  inputShape?: number[];
  classes?: number;
  labels?: string[];
  inputKind?: 'image' | 'vector' | 'sequence' | 'tokens';
  /** Labels are numbers that are not class indices (or the loss is mse): a regression target. */
  regression?: boolean;
  /** For text sources: the vocabulary size (token ids are below it). */
  vocab?: number;
  /** Number of examples the source gives, when known (built-in sources, inspected files). */
  examples?: number;
  /** Arguments whose defaults were found by inspecting the data (csv label/features, image size). */
  resolvedArgs?: Record<string, import('../ir.js').JsonValue>;
}

