// Renders a Vega-Lite chart to SVG in Node: vega-lite compiles it to Vega, vega
// renders headlessly (renderer 'none' + toSVG), so no browser or canvas is needed.
// Both libraries are imported lazily: only `report` and the end of `train` pay for them.
import type { TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
