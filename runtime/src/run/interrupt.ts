// Ctrl-C for the long-running commands: the first asks the work to stop at a safe
// point (announced with `message`), a second one quits at once (exit 130).
import { EXIT_INTERRUPTED } from './exit-codes.js';

export interface Interrupts {
  /** True once Ctrl-C was pressed. */
  readonly requested: boolean;
  /** Stops listening (call when the work is done). */
  dispose(): void;
}

export function catchInterrupts(announce: () => void): Interrupts {
  let requested = false;
  const onSigint = () => {
    if (requested) process.exit(EXIT_INTERRUPTED);
    requested = true;
    announce();
  };
  process.on('SIGINT', onSigint);
  return {
    get requested() {
      return requested;
    },
    dispose: () => process.off('SIGINT', onSigint),
  };
}
