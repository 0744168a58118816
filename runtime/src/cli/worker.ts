// `regnetc worker --queue URL`: runs trials of sweeps submitted with `regnetc sweep --queue`.
import type { Command } from 'commander';
import type { WorkerOptions } from '../queue/worker.js';
import { positiveInteger } from './train.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('take trials of queued sweeps (regnetc sweep --queue) from Redis and train them, each in its own process')
    .option('--queue <url>', 'redis://[:password@]HOST:PORT[/db] or rediss:// (default: $REGNET_QUEUE)')
    .option('--concurrency <n>', 'trials trained at once', positiveInteger('--concurrency'), 1)
    .option('--name <name>', 'shown in progress and `regnetc queue status` (default: HOST-PID)')
    .option('--lock-duration <ms>', "a trial's lock; a killed worker's trial moves on after it expires (default 4000)", positiveInteger('--lock-duration'))
    .option('--stalled-interval <ms>', 'how often this worker looks for trials of killed workers (default 2000)', positiveInteger('--stalled-interval'))
    .option('--max-stalled-count <n>', 'how many times a trial may lose its worker before it fails (default 3)', positiveInteger('--max-stalled-count'))
    .addHelpText(
      'after',
      '\nCtrl-C hands running trials back to the queue at their last finished epoch and exits;\na second Ctrl-C stops at once (the trials go back to the queue when their lock expires).\n\nExample:\n  regnetc worker --queue redis://10.0.0.5:6379 --concurrency 2',
    )
    .action(async (flags: WorkerOptions) => {
      await (await import('../queue/connection.js')).checkQueueUrl(flags.queue);
      const { runWorker } = await import('../queue/worker.js');
      const code = await runWorker(flags);
      (await import('../queue/connection.js')).endQueueCommand(code);
    });
}
