// What the checker learns about a spec, for the CLI (`summary`), the lowering and
// the language server (hover, inlay hints, completion, rename).
import type { Layer, LetDecl, Range } from './ast.js';
import type { Entry } from './catalogue/types.js';
import type { JsonValue, Shape } from './ir.js';

export interface LayerInfo {
  layer: Layer;
  /** The catalogue's layer name, e.g. `conv2d`. */
  name: string;
  /** The IR node id this layer lowers to (for repeat: of its last iteration). */
  id: string;
  inputShape?: Shape;
  /** Output shape; for layers inside `repeat`, after the last iteration. */
  outputShape?: Shape;
  /** Parameters of this layer (for `repeat`/`residual`: of the whole block, all iterations). */
  params?: number;
  children: LayerInfo[];
}

export interface ConstantInfo {
  name: string;
  decl: LetDecl;
  value?: JsonValue;
  /** Ranges of every reference (not the declaration). */
  uses: Range[];
}

export interface DataInfo {
  inputShape?: Shape;
  classes?: number;
  inputKind?: 'image' | 'vector' | 'sequence' | 'tokens';
  labels?: string[];
}

/** What a word in the source means: hover and go-to-definition read these. */
export interface SymbolRef {
  range: Range;
  kind: 'layer' | 'argument' | 'setting' | 'callable' | 'enum-word' | 'constant' | 'keyword';
  /** The docs entry, when the word is documented. */
  entry?: Entry;
  /** For arguments: the callable's entry whose argument this is (`entry` is then a param's owner). */
  param?: string;
  constant?: ConstantInfo;
  /** For layers: the layer's shapes and params. */
  layerInfo?: LayerInfo;
}

export interface SemanticModel {
  constants: Map<string, ConstantInfo>;
  layers: LayerInfo[];
  totalParams?: number;
  data?: DataInfo;
  /** Sorted by start offset. */
  symbols: SymbolRef[];
  /** The loss decided from the last layer (see RN901). */
  lossFromLogits?: boolean;
}
