import { threadState } from '../../../lib/internal/threadState.js';
import { got } from '../../../lib/internal/validate.js';

/**
 * Where the worker entry (`schedulers/worker`) is, resolved in this one function. It works from the
 * CJS build (`__filename`), from the ESM build (this module's own URL, read from a call site because
 * `import.meta` cannot appear in source that is also compiled to CommonJS), and from the TypeScript
 * sources under jest (a `.ts` entry, started with tsx's CommonJS hook, since Node cannot run `.ts`).
 * A bundle has no file layout: browser bundles name the entry in `config.workerEntry` (once) or in the
 * `workerEntry` thread option; a Web Worker started from the entry names itself (see startWorker).
 */
export interface WorkerEntry {
  readonly url: string | URL;
  /** Node options the worker needs (tsx for a `.ts` entry), or undefined to inherit the defaults. */
  readonly execArgv: string[] | undefined;
}

export function resolveWorkerEntry(override?: string | URL): WorkerEntry {
  const url = override ?? configuredEntry() ?? defaultEntry();
  const path = typeof url === 'string' ? url : url.pathname;
  return { url, execArgv: /\.[cm]?ts$/.test(path) ? ['--require', tsxHook()] : undefined };
}

function configuredEntry(): string | URL | undefined {
  const entry = threadState.config.workerEntry;
  // Duck-typed: a URL made in another realm (a jest sandbox, an iframe) is fine too.
  if (entry === undefined || (typeof entry === 'string' && entry !== '') || typeof (entry as { href?: unknown } | null)?.href === 'string') return entry;
  throw new TypeError(`Expected \`config.workerEntry\` to be a URL or a non-empty path string, got ${got(entry)}`);
}

function defaultEntry(): string | URL {
  if (typeof __filename === 'string') {
    // CJS build or ts-jest: this file is <root>/schedulers/threads/internal/workerEntry.{js,ts}.
    const ext = __filename.slice(__filename.lastIndexOf('.'));
    return join(__dirname, '..', '..', `worker${ext}`);
  }
  const self = ownModuleUrl();
  if (self === undefined || !self.startsWith('file:')) {
    throw new Error(
      'rxjs-caller cannot locate its worker entry here (a bundle?): set `config.workerEntry` (or the `workerEntry` thread option) to the URL of your bundle of `schedulers/worker.js`',
    );
  }
  return new URL('../../worker.js', self);
}

/**
 * The URL of this module, from the raw call sites of a fresh stack (raw, so source maps, which would
 * name the `.ts` source instead, do not get in the way). V8 only; elsewhere undefined.
 */
function ownModuleUrl(): string | undefined {
  type Site = { getFileName(): string | null | undefined };
  const host = Error as unknown as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const { prepareStackTrace, stackTraceLimit } = host;
  host.prepareStackTrace = (_: unknown, sites: Site[]) => sites;
  host.stackTraceLimit = 1;
  try {
    const sites = new Error().stack as unknown;
    return Array.isArray(sites) ? ((sites[0] as Site | undefined)?.getFileName() ?? undefined) : undefined;
  } finally {
    host.prepareStackTrace = prepareStackTrace;
    host.stackTraceLimit = stackTraceLimit;
  }
}

function join(...parts: string[]): string {
  const sep = parts[0]!.includes('\\') && !parts[0]!.includes('/') ? '\\' : '/';
  const out: string[] = [];
  for (const segment of parts.join(sep).split(/[\\/]/)) {
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  return out.join(sep);
}

function tsxHook(): string {
  // Resolved here (not in the worker) so the hook is found from this package, whatever the cwd.
  return typeof require === 'function' && typeof require.resolve === 'function' ? require.resolve('tsx/cjs') : 'tsx/cjs';
}
