// Errors the CLI prints as one clear line (no stack trace) before exiting 1.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  // The bundled CLI (main.bundle.js) has its own copy of this class, while lazily
  // imported modules (run/, queue/) throw the one in dist/: recognise either by name.
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'UsageError';
  }
}
