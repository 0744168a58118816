// Every request handler goes through `safe`: an exception inside a feature is
// logged and answered with an empty result, so a half-typed file can never take
// the server down or surface as an error response in the editor.
import type { Connection } from 'vscode-languageserver';

export type Logger = Pick<Connection['console'], 'error' | 'log'>;

export function safe<P extends unknown[], R>(
  logger: Logger,
  name: string,
  fallback: R,
  handler: (...params: P) => R | Promise<R>,
): (...params: P) => Promise<R> {
  return async (...params: P) => {
    try {
      return await handler(...params);
    } catch (err) {
      logger.error(`[${name}] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}
