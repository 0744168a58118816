// `regnetc --version`: the versions and the installed backends. The bin loads only this
// module for it (not the commands and the compiler), so it answers in a tenth of a second.
import { versionReport } from '../environment.js';

export function isVersionRequest(argv: string[]): boolean {
  return argv.length === 3 && (argv[2] === '-V' || argv[2] === '--version');
}

export async function main(argv: string[]): Promise<number> {
  if (!isVersionRequest(argv)) throw new Error('cli/version.ts handles only `regnetc --version`');
  process.stdout.write(versionReport() + '\n');
  return 0;
}
