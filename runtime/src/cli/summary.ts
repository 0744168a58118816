// `regnetc summary FILE`: the layer table, like Keras' model.summary().
import type { Command } from 'commander';
import Table from 'cli-table3';
import { check, printCall, type JsonValue, type LayerInfo } from '@regnet/compiler';
import { addDataSafetyOptions, dataSafety, type DataSafetyFlags } from './data-options.js';
import { collectOverride } from './overrides.js';
import { printDiagnostics } from '../run/print-diagnostics.js';
import { absolute, readSpec } from '../run/read-spec.js';

export function formatShape(shape: number[] | undefined): string {
  return shape ? `[${shape.join(', ')}]` : '?';
}

export function formatCount(n: number | undefined): string {
  return n === undefined ? '?' : n.toLocaleString('en-US');
}

/** Rows of the summary: nested layers (repeat/residual) indented under their block. */
export function summaryRows(layers: LayerInfo[], depth = 0, rows: string[][] = []): string[][] {
  for (const info of layers) {
    const label = '  '.repeat(depth) + printCall(info.layer.call) + (info.layer.alias ? ` as ${info.layer.alias.name}` : '');
    rows.push([label, formatShape(info.outputShape), formatCount(info.params)]);
    summaryRows(info.children, depth + 1, rows); // appends: no push(...rows) of unbounded length
  }
  return rows;
}

export function register(program: Command): void {
  const command = program
    .command('summary')
    .description('print the layers with their output shapes and parameter counts')
    .argument('<file>', '.regnet file')
    .option('--set <name=value>', 'override a let constant (repeatable)', collectOverride);
  addDataSafetyOptions(command)
    .action((file: string, flags: { set?: Record<string, JsonValue> } & DataSafetyFlags) => {
      const source = readSpec(file);
      const result = check(source, { file: absolute(file), overrides: flags.set, ...dataSafety(flags) });
      printDiagnostics(file, source, result.diagnostics.filter((d) => d.severity === 'error'));
      const model = result.model;
      const table = new Table({ head: ['Layer', 'Output shape', 'Params'], style: { head: [], border: [] },
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, colAligns: ['left', 'left', 'right'] });
      const input = model.data?.inputShape;
      table.push(['input', formatShape(input), '0']);
      for (const row of summaryRows(model.layers)) table.push(row);
      process.stdout.write(table.toString() + '\n');
      process.stdout.write(`Total params: ${formatCount(model.totalParams)}\n`);
      process.exitCode = result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
