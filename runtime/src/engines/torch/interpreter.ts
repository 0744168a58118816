// Which Python the torch engine runs, in a module of its own so that `regnetc doctor`
// (and `--version`'s module graph) can ask without loading the engine.
import { existsSync } from 'node:fs';

/** The interpreter: $REGNET_PYTHON, else Debian's /usr/bin/python3 (which has python3-torch), else python3. */
export function pythonCommand(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REGNET_PYTHON) return env.REGNET_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
