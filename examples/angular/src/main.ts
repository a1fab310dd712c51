import 'zone.js';
import '@angular/compiler'; // JIT: templates compile in the browser, so esbuild alone builds the app
import { provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { config } from 'rxjs-caller';
import { provideCallers } from 'rxjs-caller/angular';
import { SearchComponent } from './search.component';

// Threads run the app's own bundled worker (search.worker.ts: rxjs-caller/worker plus the task modules).
config.createWorker = () => new Worker(new URL('./search.worker.js', import.meta.url), { type: 'module' });

const app = await bootstrapApplication(SearchComponent, {
  providers: [provideZoneChangeDetection({ eventCoalescing: true }), provideCallers()],
});
// For the browser test and the devtools console: `await exampleApp.whenStable()`, `exampleApp.destroy()`.
(globalThis as { exampleApp?: unknown }).exampleApp = app;
