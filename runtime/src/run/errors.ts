// Errors the CLI prints as one clear line (no stack trace) before exiting 1.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
