// Optimizers over tf variables, written out so that the arithmetic is PyTorch's
// (torch.optim.SGD / Adagrad / RMSprop / Adam / AdamW), not tf.train's, which
// differs in where epsilon goes, in Adagrad's initial accumulator and in momentum.
//
// Weight decay is DECOUPLED on every optimizer (docs/language.md §5):
//   w <- w·(1 - lr_t·wd) - update(grad)      (= w - lr_t·wd·w_prev - update)
// with lr_t the scheduled learning rate, exactly as torch.optim.AdamW does it, and
// only on the parameters flagged `decay` (kernels and embeddings; not biases or
// normalization parameters).
import type * as tfTypes from '@tensorflow/tfjs';
import type { ResolvedCall } from '@regnet/compiler';
import type { TF } from '../contracts.js';
import { booleanHyperparameter, numberHyperparameter } from './args.js';
import { type AdamHyper, canFuseAdam, fusedAdamStep } from './fused-update.js';
import { fusedAdamMaxSize } from '../backend/adam-kernel.js';

type Tensor = tfTypes.Tensor;

export interface OptimizedParam {
  /** The tf variable's name; gradients are looked up by it. */
  name: string;
  variable: tfTypes.Variable;
  /** Whether decoupled weight decay applies (kernels and embeddings only). */
  decay: boolean;
  /**
   * Name of this parameter in the saved state; must be stable across processes (tf
   * variable names get per-process suffixes), e.g. the weight's `dense_1/kernel`.
   * Defaults to `name`.
   */
  key?: string;
}

/** JSON-serializable optimizer state (for `--resume`). */
export interface OptimizerState {
  kind: string;
  step: number;
  /** parameter key -> slot name -> flat values (float32 values, exact in JSON). */
  slots: Record<string, Record<string, { shape: number[]; values: number[] }>>;
}

export interface Optimizer {
  readonly kind: string;
  /** Number of steps taken so far. */
  readonly step: number;
  /** One update of every parameter that has a gradient, with the scheduled learning rate. */
  apply(grads: Record<string, Tensor>, lr: number): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
  dispose(): void;
}

/** A float32 scalar tensor of `value`, shared by all parameters within one step. */
type Scalar = (value: number) => Tensor;

/**
 * Per-parameter update rule: new slots and the update to subtract (`w <- w - delta`).
 * Constants come from `c` rather than as JS numbers, which tfjs would turn into a new
 * scalar tensor in every op of every parameter (the same float32 values either way).
 */
type Rule = (
  tf: TF,
  grad: Tensor,
  slots: Record<string, Tensor>,
  lr: number,
  step: number,
  c: Scalar,
) => { delta: Tensor; slots: Record<string, Tensor> };

interface RuleSpec {
  rule: Rule;
  weightDecay: number;
  /** Adam's hyper-parameters: the update can run as one kernel (fused-update.ts). */
  adam?: AdamHyper;
}

export function createOptimizer(tf: TF, config: ResolvedCall, params: OptimizedParam[]): Optimizer {
  return new SlotOptimizer(tf, config.kind, ruleFor(config), params);
}

function ruleFor(config: ResolvedCall): RuleSpec {
  const args = config.args ?? {};
  const owner = `optimizer ${config.kind}`;
  const num = (name: string, fallback: number) => numberHyperparameter(args, name, fallback, owner);
  switch (config.kind) {
    case 'sgd': {
      const momentum = num('momentum', 0);
      const nesterov = booleanHyperparameter(args, 'nesterov', false, owner);
      if (nesterov && momentum <= 0) throw new Error(`${owner}: nesterov needs momentum > 0`);
      return { weightDecay: num('weight_decay', 0), rule: sgdRule(momentum, nesterov) };
    }
    case 'adagrad':
      return { weightDecay: num('weight_decay', 0), rule: adagradRule(num('epsilon', 1e-10)) };
    case 'rmsprop':
      return {
        weightDecay: num('weight_decay', 0),
        rule: rmspropRule(num('rho', 0.9), num('momentum', 0), num('epsilon', 1e-8)),
      };
    case 'adam':
    case 'adamw': {
      const adam = { beta1: num('beta1', 0.9), beta2: num('beta2', 0.999), eps: num('epsilon', 1e-8) };
      return { weightDecay: num('weight_decay', config.kind === 'adamw' ? 0.01 : 0), rule: adamRule(adam.beta1, adam.beta2, adam.eps), adam };
    }
    default:
      throw new Error(`unknown optimizer '${config.kind}' (expected sgd, adagrad, rmsprop, adam or adamw)`);
  }
}

/** torch.optim.SGD (dampening 0): buf = m·buf + g; step along g + m·buf (nesterov) or buf. */
function sgdRule(momentum: number, nesterov: boolean): Rule {
  return (tf, g, slots, lr, _step, c) => {
    if (momentum === 0) return { delta: tf.mul(g, c(lr)), slots };
    const buf = slots.momentum ? tf.add(tf.mul(slots.momentum, c(momentum)), g) : g.clone();
    const direction = nesterov ? tf.add(g, tf.mul(buf, c(momentum))) : buf;
    return { delta: tf.mul(direction, c(lr)), slots: { momentum: buf } };
  };
}

/** torch.optim.Adagrad (initial accumulator 0, lr_decay 0): sum += g²; w -= lr·g/(√sum + eps). */
function adagradRule(eps: number): Rule {
  return (tf, g, slots, lr, _step, c) => {
    const sum = slots.sum ? tf.add(slots.sum, tf.square(g)) : tf.square(g);
    const delta = tf.mul(tf.div(g, tf.add(tf.sqrt(sum), c(eps))), c(lr));
    return { delta, slots: { sum } };
  };
}

/** torch.optim.RMSprop (not centered): v = α·v + (1-α)·g²; avg = √v + eps; buf = m·buf + g/avg. */
function rmspropRule(alpha: number, momentum: number, eps: number): Rule {
  return (tf, g, slots, lr, _step, c) => {
    const prev = slots.square_avg ?? tf.zerosLike(g);
    const squareAvg = tf.add(tf.mul(prev, c(alpha)), tf.mul(tf.square(g), c(1 - alpha)));
    const scaled = tf.div(g, tf.add(tf.sqrt(squareAvg), c(eps)));
    const next: Record<string, Tensor> = { square_avg: squareAvg };
    if (momentum === 0) return { delta: tf.mul(scaled, c(lr)), slots: next };
    next.momentum = slots.momentum ? tf.add(tf.mul(slots.momentum, c(momentum)), scaled) : scaled;
    return { delta: tf.mul(next.momentum, c(lr)), slots: next };
  };
}

/**
 * torch.optim.Adam / AdamW: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * w -= (lr / (1-β1^t)) · m / (√v / √(1-β2^t) + eps) — eps outside the bias-corrected root.
 */
function adamRule(beta1: number, beta2: number, eps: number): Rule {
  return (tf, g, slots, lr, step, c) => {
    const m0 = slots.exp_avg ?? tf.zerosLike(g);
    const v0 = slots.exp_avg_sq ?? tf.zerosLike(g);
    const m = tf.add(tf.mul(m0, c(beta1)), tf.mul(g, c(1 - beta1)));
    const v = tf.add(tf.mul(v0, c(beta2)), tf.mul(tf.square(g), c(1 - beta2)));
    const biasCorrection1 = 1 - Math.pow(beta1, step);
    const biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    const denom = tf.add(tf.div(tf.sqrt(v), c(biasCorrection2Sqrt)), c(eps));
    const delta = tf.mul(tf.div(m, denom), c(lr / biasCorrection1));
    return { delta, slots: { exp_avg: m, exp_avg_sq: v } };
  };
}

class SlotOptimizer implements Optimizer {
  private slots = new Map<string, Record<string, Tensor>>();
  private steps = 0;

  constructor(
    private readonly tf: TF,
    readonly kind: string,
    private readonly spec: RuleSpec,
    private readonly params: OptimizedParam[],
  ) {}

  get step(): number {
    return this.steps;
  }

  apply(grads: Record<string, Tensor>, lr: number): void {
    const tf = this.tf;
    this.steps += 1;
    const step = this.steps;
    const next = new Map<string, Record<string, Tensor>>();
    const present = this.params.filter((p) => grads[p.name]);
    // One fused kernel updates every tensor up to fusedAdamMaxSize (all of them on wasm); larger
    // ones (cpu) take tf ops, whose vectorized kernels then beat the scalar JavaScript loop.
    const maxSize = this.spec.adam && canFuseAdam(tf) ? fusedAdamMaxSize(tf) : 0;
    const fused = present.filter((p) => p.variable.size <= maxSize);
    if (fused.length > 0) {
      const slots = fusedAdamStep(
        tf,
        fused.map((p) => ({
          variable: p.variable,
          grad: grads[p.name]!,
          slots: this.slots.get(p.key ?? p.name),
          decayFactor: p.decay && this.spec.weightDecay > 0 ? 1 - lr * this.spec.weightDecay : 1,
        })),
        this.spec.adam!,
        lr,
        step,
      );
      fused.forEach((p, i) => next.set(p.key ?? p.name, slots[i]!));
    }
    const rest = fused.length > 0 ? present.filter((p) => !fused.includes(p)) : present;
    if (rest.length > 0) this.applyOps(rest, grads, lr, step, next);
    for (const [key, slots] of next) {
      const kept = new Set(Object.values(slots));
      for (const tensor of Object.values(this.slots.get(key) ?? {})) if (!kept.has(tensor)) tensor.dispose();
      this.slots.set(key, slots);
    }
  }

  /** The update as tf ops, parameter by parameter. */
  private applyOps(params: OptimizedParam[], grads: Record<string, Tensor>, lr: number, step: number, next: Map<string, Record<string, Tensor>>): void {
    const tf = this.tf;
    // One scope for the whole step; the new slots are kept out of it.
    tf.tidy(() => {
      const scalars = new Map<number, Tensor>();
      const c: Scalar = (value) => {
        let t = scalars.get(value);
        if (!t) scalars.set(value, (t = tf.scalar(value)));
        return t;
      };
      for (const param of params) {
        const grad = grads[param.name]!;
        const key = param.key ?? param.name;
        const { delta, slots } = this.spec.rule(tf, grad, this.slots.get(key) ?? {}, lr, step, c);
        const w = param.variable;
        const wd = param.decay ? this.spec.weightDecay : 0;
        // Decay from w_prev first, then the gradient update (torch.optim.AdamW's order).
        const decayed = wd > 0 ? tf.mul(w, c(1 - lr * wd)) : w;
        w.assign(tf.sub(decayed, delta));
        for (const t of Object.values(slots)) tf.keep(t);
        next.set(key, slots);
      }
    });
  }

  getState(): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    for (const [name, entry] of this.slots) {
      slots[name] = {};
      for (const [key, tensor] of Object.entries(entry)) {
        slots[name][key] = slotSnapshot(tensor.shape.slice(), tensor.dataSync() as Float32Array);
      }
    }
    return { kind: this.kind, step: this.steps, slots };
  }

  setState(state: OptimizerState): void {
    if (state.kind !== this.kind) {
      throw new Error(`cannot resume: the saved optimizer is '${state.kind}', the spec now says '${this.kind}'`);
    }
    this.disposeSlots();
    this.steps = state.step;
    const known = new Set(this.params.map((p) => p.key ?? p.name));
    for (const [name, entry] of Object.entries(state.slots)) {
      if (!known.has(name)) throw new Error(`cannot resume: saved optimizer state names unknown weight '${name}'`);
      const restored: Record<string, Tensor> = {};
      for (const [key, { shape, values }] of Object.entries(entry)) {
        restored[key] = this.tf.tensor(values, shape, 'float32');
      }
      this.slots.set(name, restored);
    }
  }

  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const entry of this.slots.values()) for (const tensor of Object.values(entry)) tensor.dispose();
    this.slots.clear();
  }
}

/**
 * A slot's values (copied now) as a plain array when first read, which is when they are saved
 * for --resume: the loop takes a state every epoch, and the conversion alone cost 4 ms of the
 * MNIST MLP's 170 ms epoch (its 400,000 Adam moments).
 */
function slotSnapshot(shape: number[], data: Float32Array): { shape: number[]; values: number[] } {
  let values: number[] | undefined;
  return {
    shape,
    get values() {
      return (values ??= toNumbers(data));
    },
  };
}

/** A typed array as a plain array (a loop: Array.from is ~5x slower). */
function toNumbers(data: ArrayLike<number>): number[] {
  const values = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) values[i] = data[i]!;
  return values;
}
