// `regnetc queue status|clean`: look at and tidy the Redis queue of `regnetc sweep --queue`.
import type { Command } from 'commander';

interface QueueFlags {
  queue?: string;
  force?: boolean;
}

const QUEUE_OPTION = ['--queue <url>', 'redis://[:password@]HOST:PORT or rediss:// (default: $REGNET_QUEUE)'] as const;

export function register(program: Command): void {
  const queue = program.command('queue').description('status of the sweep queue (regnetc sweep --queue), and cleaning up finished sweeps');
  queue
    .command('status')
    .description('sweeps on the queue, their trials waiting / running (on which worker) / done / failed, and the workers')
    .option(...QUEUE_OPTION)
    .action(async (flags: QueueFlags) => {
      const { queueStatus } = await import('../queue/status.js');
      process.exitCode = await queueStatus(flags);
    });
  queue
    .command('clean')
    .description("remove finished sweeps' jobs, files, checkpoints and results from Redis (collect them first)")
    .argument('[sweep]', 'sweep id or name (default: every finished sweep)')
    .option(...QUEUE_OPTION)
    .option('--force', 'also remove sweeps with trials waiting or running')
    .action(async (sweep: string | undefined, flags: QueueFlags) => {
      const { queueClean } = await import('../queue/status.js');
      process.exitCode = await queueClean({ ...flags, sweep });
    });
  for (const sub of queue.commands) sub.exitOverride();
}
