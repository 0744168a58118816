// Learning-rate schedules as pure functions of where training is.
//
// `epoch` is 0-based, `step` is the 0-based step within that epoch. Schedules that
// docs/language.md defines "per epoch" (`step`, `exponential`) change only at epoch
// boundaries, exactly like torch's StepLR / ExponentialLR stepped once per epoch.
// `cosine` and `warm_restarts` are computed per step from the fractional epoch
// `t = epoch + step / stepsPerEpoch`, so the curve is smooth (as torch's
// CosineAnnealingWarmRestarts does when stepped with `epoch + i / iters`).
//
// Warmup (`cosine(warmup: W)`, W in epochs) is linear from 0 per step: step k
// (0-based, counted from the start of training) of the first W·stepsPerEpoch steps
// uses `lr · (k + 1) / (W · stepsPerEpoch)`, so the first update is already
// non-zero and the last warmup step reaches `lr`. After the warmup, the cosine
// decays from `lr` to `min_lr` over the remaining epochs.
import type { ResolvedCall } from '@regnet/compiler';
import { numberHyperparameter } from './args.js';

export type Schedule = (epoch: number, step: number, stepsPerEpoch: number) => number;

export function makeSchedule(schedule: ResolvedCall, baseLr: number, totalEpochs: number): Schedule {
  const args = schedule.args ?? {};
  const owner = `schedule ${schedule.kind}`;
  switch (schedule.kind) {
    case 'constant':
      return () => baseLr;
    case 'step': {
      const every = numberHyperparameter(args, 'every', 1, owner);
      const gamma = numberHyperparameter(args, 'gamma', 0.1, owner);
      if (every <= 0) throw new Error(`${owner}: 'every' must be positive`);
      return (epoch) => baseLr * Math.pow(gamma, Math.floor(epoch / every));
    }
    case 'exponential': {
      const gamma = numberHyperparameter(args, 'gamma', 0.95, owner);
      return (epoch) => baseLr * Math.pow(gamma, epoch);
    }
    case 'cosine': {
      const warmup = numberHyperparameter(args, 'warmup', 0, owner);
      const minLr = numberHyperparameter(args, 'min_lr', 0, owner);
      return (epoch, step, stepsPerEpoch) => {
        const warmupSteps = warmup * stepsPerEpoch;
        const globalStep = epoch * stepsPerEpoch + step;
        if (globalStep < warmupSteps) return (baseLr * (globalStep + 1)) / warmupSteps;
        const t = epoch + step / stepsPerEpoch;
        const span = totalEpochs - warmup;
        const progress = span > 0 ? Math.min(1, (t - warmup) / span) : 1;
        return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
      };
    }
    case 'warm_restarts': {
      const period = numberHyperparameter(args, 'period', 10, owner);
      const mult = numberHyperparameter(args, 'mult', 1, owner);
      const minLr = numberHyperparameter(args, 'min_lr', 0, owner);
      if (period <= 0) throw new Error(`${owner}: 'period' must be positive`);
      if (mult < 1) throw new Error(`${owner}: 'mult' must be at least 1`);
      return (epoch, step, stepsPerEpoch) => {
        const t = epoch + step / stepsPerEpoch;
        const { tCur, tI } = positionInCycle(t, period, mult);
        return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
      };
    }
    default:
      throw new Error(`unknown schedule '${schedule.kind}' (expected constant, step, exponential, cosine or warm_restarts)`);
  }
}

/** SGDR cycle bookkeeping, as torch.optim.lr_scheduler.CosineAnnealingWarmRestarts.step(epoch). */
function positionInCycle(t: number, period: number, mult: number): { tCur: number; tI: number } {
  if (mult === 1) return { tCur: t % period, tI: period };
  let n = Math.floor(Math.log((t / period) * (mult - 1) + 1) / Math.log(mult));
  // The logarithm can land a hair below a cycle boundary; step over it.
  if (t >= (period * (Math.pow(mult, n + 1) - 1)) / (mult - 1)) n += 1;
  const start = (period * (Math.pow(mult, n) - 1)) / (mult - 1);
  return { tCur: t - start, tI: period * Math.pow(mult, n) };
}
