/**
 * Builds the example with esbuild (Angular in JIT mode: no Angular CLI), in memory for the browser test
 * (spec/browser/angularApp.spec.ts) or into examples/angular/dist. `npm run example:angular` builds and
 * serves it on http://127.0.0.1:4200/ (add `isolated/` to the path for a cross-origin isolated page).
 * The worker is an entry of its own, next to main.js: main.ts starts it with
 * `new Worker(new URL('./search.worker.js', import.meta.url), { type: 'module' })`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const here = __dirname;

/** The built files by name: index.html, main.js, search.worker.js and the chunks they share. */
export async function buildExample(): Promise<Map<string, string>> {
  const result = await build({
    absWorkingDir: here,
    entryPoints: { main: join(here, 'src', 'main.ts'), 'search.worker': join(here, 'src', 'search.worker.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(here, 'dist'),
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned: ${result.warnings.map((w) => w.text).join('; ')}`);
  const files = new Map(result.outputFiles.map((file) => [basename(file.path), file.text]));
  files.set('index.html', readFileSync(join(here, 'src', 'index.html'), 'utf8'));
  return files;
}

if (require.main === module) {
  void buildExample().then((files) => {
    createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://host').pathname;
      const isolated = path.startsWith('/isolated/');
      const name = path.endsWith('/') ? 'index.html' : basename(path);
      const body = files.get(name);
      if (body === undefined) return void response.writeHead(404).end();
      response.setHeader('content-type', name.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8');
      if (isolated) {
        response.setHeader('cross-origin-opener-policy', 'same-origin');
        response.setHeader('cross-origin-embedder-policy', 'require-corp');
      }
      response.end(body);
    }).listen(4200, '127.0.0.1', () => console.log('rxjs-caller Angular example: http://127.0.0.1:4200/ (and /isolated/)'));
  });
}
