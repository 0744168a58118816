// RN308: a model too large to train here. A shared spec (or `--set width=60000`)
// must not make `train` grow until the machine swaps: parameters and an estimate
// of training memory are checked against the limits (limits.ts) before anything
// is allocated.
import type { Range } from '../ast.js';
import type { IRNode } from '../ir.js';
import type { CheckContext } from './context.js';
import { formatBytes, formatCount, limitsOf, raiseHint } from './limits.js';

const FLOAT_BYTES = 4;
/** Weights, their gradients and up to two optimizer moments (Adam's m and v). */
const COPIES_PER_PARAM = 4;
/** Activations kept for the backward pass, plus their gradients. */
const COPIES_PER_ACTIVATION = 2;

/** Estimated bytes to train `nodes` with mini-batches of `batchSize`. */
export function estimateTrainingBytes(nodes: readonly IRNode[], batchSize: number): number {
  let params = 0;
  let activations = 0;
  for (const node of nodes) {
    params += node.params;
    let size = 1;
    for (const d of node.shape) size *= d;
    activations += size;
  }
  return FLOAT_BYTES * (COPIES_PER_PARAM * params + COPIES_PER_ACTIVATION * batchSize * activations);
}

export function checkModelSize(ctx: CheckContext, nodes: readonly IRNode[], batchSize: number, at: Range): void {
  const limits = limitsOf(ctx.options.limits);
  let params = 0;
  for (const node of nodes) params += node.params;
  if (params > limits.params) {
    ctx.report('RN308', at, `this model has ${formatCount(params)} parameters, more than the limit of ${formatCount(limits.params)}: make its layers smaller, or ${raiseHint('params')}`);
    return;
  }
  const bytes = estimateTrainingBytes(nodes, Number.isFinite(batchSize) && batchSize > 0 ? batchSize : 1);
  if (bytes > limits.memory) {
    ctx.report(
      'RN308',
      at,
      `training this model needs about ${formatBytes(bytes)} (weights, gradients, optimizer state and one batch of ${batchSize} examples' activations), more than the limit of ${formatBytes(limits.memory)}: make the model or the batch smaller, or ${raiseHint('memory')}`,
    );
  }
}
