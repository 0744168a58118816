// `regnetc doctor`: what this machine offers RegNet (versions, backends and why not,
// optional tools). `regnetc --version` prints the quick part (see main.ts).
import type { Command } from 'commander';
import { checkBackends, doctorReport, findTools, versions } from '../environment.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('print the versions, which training backends run here (and why not), and whether python3 + torch and redis-server are found')
    .action(async () => {
      const backends = await checkBackends();
      process.stdout.write(doctorReport(versions(), backends, findTools()) + '\n');
    });
}
