/**
 * What the browser suite runs on: an esbuild bundle of the library's TypeScript sources (the test page,
 * the worker entry and a task module, split so rxjs and the library exist once), a loopback HTTP server
 * for it, and a Chromium or Chrome (found by ./findBrowser.ts) driven by playwright-core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const root = join(__dirname, '..', '..');

export interface Bundle {
  /** Output files by name (`page.js`, `worker.js`, `tasks.js`, `appWorker.js`, shared chunks). */
  readonly files: ReadonlyMap<string, string>;
  readonly metafile: Metafile;
}

/** Bundles the page, the worker entry and the task module for browsers, in memory. */
export async function bundle(): Promise<Bundle> {
  const outdir = join(root, 'spec', 'browser', 'out'); // never written: write is false
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      page: join(root, 'spec', 'browser', 'page.ts'),
      worker: join(root, 'schedulers', 'worker.ts'),
      tasks: join(root, 'spec', 'browser', 'tasks.ts'),
      appWorker: join(root, 'spec', 'browser', 'appWorker.ts'),
    },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned: ${result.warnings.map((w) => w.text).join('; ')}`);
  return { files: new Map(result.outputFiles.map((file) => [basename(file.path), file.text])), metafile: result.metafile };
}

/**
 * One page, served three ways: `/plain/`; `/isolated/`, cross-origin isolated (so with SharedArrayBuffer);
 * `/strict/`, under a Content-Security-Policy without 'unsafe-eval' (as many production apps are).
 */
export type PageKind = 'plain' | 'isolated' | 'strict';

const html = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>rxjs-caller</title><script type="module" src="page.js"></script>';

/** Serves `bundle` on 127.0.0.1 (a free port); its own `index.html` if it has one, else the test page's. */
export async function serve(files: ReadonlyMap<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/(plain|isolated|strict)\/([\w.-]*)$/.exec(new URL(request.url ?? '/', 'http://host').pathname);
    const name = match?.[2] || 'index.html';
    const body = name === 'index.html' ? (files.get(name) ?? html) : files.get(name);
    if (match === null || body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.setHeader('content-type', name.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    if (match[1] === 'isolated') {
      response.setHeader('cross-origin-opener-policy', 'same-origin');
      response.setHeader('cross-origin-embedder-policy', 'require-corp');
    }
    // Workers take their policy from their own script's response, so every file gets it.
    if (match[1] === 'strict') response.setHeader('content-security-policy', "default-src 'self'; script-src 'self'; img-src 'self' data:");
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Starts the browser at `executablePath` headless. Playwright gives it a fresh temporary profile, removed on close. */
export async function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
