// The training part of the runtime: loop, optimizers, schedules, losses, penalties, clipping.
export { train, evaluate, type LoopState, type LoopCallbacks } from './loop.js';
export { createOptimizer, type Optimizer, type OptimizerState, type OptimizedParam } from './optimizers.js';
export { makeSchedule, type Schedule } from './schedules.js';
export {
  lossSpec,
  encodeTargets,
  smoothTargets,
  computeLoss,
  computeMetrics,
  checkMetrics,
  KNOWN_METRICS,
  type LossSpec,
  type LossKind,
} from './losses.js';
export { regularizationPenalty, type PenalizedWeight } from './regularization.js';
export { clipGradients, globalNorm, squaredGlobalNorm, type ClipConfig, type ClipResult } from './clip.js';
export { MetricMonitor, monitoredKey, type MonitorState } from './monitor.js';
export { trainableParams, type TrainableParam } from './weights.js';
export { WeightSnapshot } from './snapshots.js';
export { withSeededMathRandom } from './seeded-random.js';
export { evaluateMonteCarlo, monteCarloValues, type MonteCarloResult } from './mc-dropout.js';
