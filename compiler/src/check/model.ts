// The layers of `model`: known names (RN201), arguments against the catalogue,
// `{ }` blocks only where the layer takes one (RN214), unique `as` names (RN215).
import type { Layer, ModelDecl } from '../ast.js';
import { getEntry } from '../catalogue/index.js';
import { CheckContext } from './context.js';
import type { CheckedLayer } from './types.js';
import type { ValueChecker } from './values.js';

export class ModelChecker {
  private readonly aliases = new Map<string, Layer>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly values: ValueChecker,
  ) {}

  model(decl: ModelDecl): CheckedLayer[] {
    return this.layers(decl.layers);
  }

  private layers(layers: Layer[]): CheckedLayer[] {
    return layers.map((layer) => this.layer(layer));
  }

  private layer(layer: Layer): CheckedLayer {
    const name = layer.call.name.name;
    const entry = getEntry('layer', name);
    const checked: CheckedLayer = {
      layer,
      name,
      children: [],
      info: { layer, name, id: '', children: [] },
    };
    if (layer.alias) {
      const previous = this.aliases.get(layer.alias.name);
      if (previous) {
        this.ctx.report(
          'RN215',
          layer.alias.range,
          `layer name '${layer.alias.name}' is already used at line ${previous.alias!.range.start.line}; names given with 'as' must be unique`,
        );
      } else this.aliases.set(layer.alias.name, layer);
    }
    if (!entry) {
      this.values.unknownCallable(layer.call.name, 'layer', 'model');
    } else {
      checked.checked = this.values.checkArgs(layer.call, layer.call.name, entry, entry.name);
      // checkArgs registered a symbol for the layer's name: attach the layer's shapes to it.
      if (checked.checked.symbol) checked.checked.symbol.layerInfo = checked.info;
      if (entry.block === 'layers' && !layer.block) {
        this.ctx.report('RN214', layer.call.range, `${name} needs a block of layers: ${entry.example ?? `${name} { ... }`}`);
        checked.checked.valid = false;
      }
      if (entry.block !== 'layers' && layer.block) {
        this.ctx.report('RN214', layer.block.range, `${name} takes no block of layers; only repeat and residual do`);
      }
    }
    if (layer.block) {
      checked.children = this.layers(layer.block.layers);
      checked.info.children = checked.children.map((c) => c.info);
    }
    return checked;
  }
}
