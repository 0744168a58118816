// Errors the CLI prints as one clear line (no stack trace) before exiting 1.
export class UsageError extends Error {
  /** What `instanceof` checks: the kinds of this error, e.g. ['UsageError', 'WriteError']. */
  readonly kinds: string[];
  static readonly kind: string = 'UsageError';

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    this.kinds = ['UsageError'];
  }

  // The bundled CLI (main.bundle.cjs) has its own copy of these classes, while lazily
  // imported modules (run/, queue/) throw the ones in dist/: recognise them by kind.
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && Array.isArray((value as UsageError).kinds) && (value as UsageError).kinds.includes(this.kind);
  }
}

/** A file or folder that could not be written (full disk, read-only mount, a file in the way...). */
export class WriteError extends UsageError {
  static override readonly kind: string = 'WriteError';

  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(`cannot write ${path}: ${FS_CAUSES[code] ?? code}`);
    this.name = 'WriteError';
    this.kinds.push(WriteError.kind);
  }
}

/** File-system error codes in words. */
const FS_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'disk quota exceeded (EDQUOT)',
  EROFS: 'read-only file system (EROFS)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  ENOTDIR: 'a part of the path is a file, not a folder (ENOTDIR)',
  EEXIST: 'a file is in the way (EEXIST)',
  EISDIR: 'it is a folder (EISDIR)',
  ENAMETOOLONG: 'the path is too long (ENAMETOOLONG)',
  EIO: 'input/output error (EIO)',
  EFBIG: 'the file is too large (EFBIG)',
  EMFILE: 'too many open files (EMFILE)',
  ENOENT: 'a folder on the path does not exist (ENOENT)',
};

/** Runs a file-system write; an error of the file system becomes a WriteError naming `path`. */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw asWriteError(error, path);
  }
}

/** The same for asynchronous writes. */
export async function writingAsync<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw asWriteError(error, path);
  }
}

/** A file-system error that escaped a command (reading or writing), as one line; undefined for other errors. */
export function fsErrorLine(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code) || typeof e.path !== 'string') return undefined;
  return `cannot ${e.syscall ?? 'access'} ${e.path}: ${FS_CAUSES[e.code] ?? e.code}`;
}

function asWriteError(error: unknown, path: string): unknown {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? new WriteError(path, code) : error;
}
