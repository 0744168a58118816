// User settings (`regnet.*` in VS Code, or initializationOptions for other
// clients). Pulled through workspace/configuration when the client supports it.
import type { Connection } from 'vscode-languageserver';

export interface ServerSettings {
  inlayHints: { enabled: boolean };
  diagnostics: { debounceMs: number };
  /** `regnet.dataRoots`: folders data may be read from besides each spec's own. */
  dataRoots: string[];
  /**
   * The editor's Workspace Trust (initializationOptions.workspaceTrusted): trusted adds
   * the workspace folders to the data roots; untrusted reads no data file at all;
   * unknown (an editor without the notion) reads under each spec's folder only.
   */
  workspaceTrust: 'trusted' | 'untrusted' | 'unknown';
}

export const DEFAULT_SETTINGS: ServerSettings = {
  inlayHints: { enabled: true },
  // Short: checking a 1,000-line spec takes ~20 ms and the target from keystroke
  // to diagnostics is 50 ms. The debounce coalesces bursts of changes; while a
  // check runs, further changes queue up and the next check takes only the latest.
  diagnostics: { debounceMs: 15 },
  dataRoots: [],
  workspaceTrust: 'unknown',
};

type PartialSettings =
  | { inlayHints?: { enabled?: unknown }; diagnostics?: { debounceMs?: unknown }; dataRoots?: unknown; workspaceTrusted?: unknown }
  | undefined;

export function mergeSettings(base: ServerSettings, raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : undefined) as PartialSettings;
  const enabled = r?.inlayHints?.enabled;
  const debounce = r?.diagnostics?.debounceMs;
  return {
    inlayHints: { enabled: typeof enabled === 'boolean' ? enabled : base.inlayHints.enabled },
    diagnostics: {
      debounceMs: typeof debounce === 'number' && debounce >= 0 ? debounce : base.diagnostics.debounceMs,
    },
    dataRoots: Array.isArray(r?.dataRoots) ? r.dataRoots.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : base.dataRoots,
    workspaceTrust: typeof r?.workspaceTrusted === 'boolean' ? (r.workspaceTrusted ? 'trusted' : 'untrusted') : base.workspaceTrust,
  };
}

export class SettingsStore {
  private current: ServerSettings = DEFAULT_SETTINGS;
  private pulled: Promise<ServerSettings> | undefined;
  canPull = false;

  constructor(private readonly connection: Connection) {}

  init(initializationOptions: unknown, canPull: boolean): void {
    this.current = mergeSettings(DEFAULT_SETTINGS, initializationOptions);
    this.canPull = canPull;
  }

  /** Called on workspace/didChangeConfiguration: the next read pulls again. */
  invalidate(pushed?: unknown): void {
    if (pushed && typeof pushed === 'object' && 'regnet' in pushed) {
      this.current = mergeSettings(this.current, (pushed as { regnet: unknown }).regnet);
    }
    this.pulled = undefined;
  }

  get snapshot(): ServerSettings {
    return this.current;
  }

  async get(): Promise<ServerSettings> {
    if (!this.canPull) return this.current;
    this.pulled ??= this.connection.workspace
      .getConfiguration('regnet')
      .then((raw) => (this.current = mergeSettings(this.current, raw)))
      .catch(() => this.current);
    return this.pulled;
  }
}
