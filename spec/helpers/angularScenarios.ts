/**
 * rxjs-caller/angular in Node, in a child process (run through tsx) so zone.js and Angular
 * stay out of jest's other suites: injection contexts made by hand, Angular's real NgZone over zone.js's
 * Node build. `--zoneless` runs without zone.js. Prints one JSON line of results for
 * spec/angular/injectCaller.spec.ts.
 */
// Loaded with require, in order (zone.js before Angular), and the same way the entry loads @angular/core,
// so there is one copy of it.
const zoneless = process.argv.includes('--zoneless');
if (!zoneless) require('zone.js/node');
const { NgZone, createEnvironmentInjector, runInInjectionContext, provideZonelessChangeDetection, Injector } = require('@angular/core') as typeof import('@angular/core');
type EnvironmentInjector = import('@angular/core').EnvironmentInjector;
const { injectCaller, provideCallers, APP_CALLER } = require('../../angular/index') as typeof import('../../angular/index');
const { Caller } = require('../../schedulers/Caller') as typeof import('../../schedulers/Caller');
const { observeOn, of, firstValueFrom } = require('rxjs') as typeof import('rxjs');

type Results = Record<string, unknown>;
const results: Results = {};

async function main(): Promise<void> {

async function record(name: string, scenario: () => Promise<unknown>): Promise<void> {
  try {
    results[name] = await scenario();
  } catch (error) {
    results[name] = { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const ngZone = zoneless ? undefined : new NgZone({ enableLongStackTrace: false });
const root = Injector.create({ providers: [] }) as unknown as EnvironmentInjector;
const app = () => createEnvironmentInjector([provideCallers({ name: 'test-app' }), ngZone ? { provide: NgZone, useValue: ngZone } : provideZonelessChangeDetection()], root);

/** Runs `fn` the way a component's code runs: inside Angular. */
const inAngular = <T,>(fn: () => T): T => (ngZone ? ngZone.run(fn) : fn());

await record('lifecycle', async () => {
  const injector = app();
  const appCaller = injector.get(APP_CALLER);
  const child = createEnvironmentInjector([], injector);
  const caller = runInInjectionContext(child, () => injectCaller({ name: 'search' }));
  const isChild = appCaller.children.has(caller);
  child.destroy();
  const afterChildDestroyed = caller.state;
  const other = runInInjectionContext(injector, () => injectCaller());
  injector.destroy();
  await Promise.all([caller.stopped, other.stopped, appCaller.stopped]);
  return { name: caller.name, isChild, afterChildDestroyed, other: other.state, app: appCaller.state };
});

await record('outsideInjectionContext', async () => {
  try {
    injectCaller();
    return 'no error';
  } catch (error) {
    return (error as Error).message.includes('injectCaller') ? 'names injectCaller' : (error as Error).message;
  }
});

await record('badZone', async () => {
  const injector = app();
  try {
    runInInjectionContext(injector, () => injectCaller({ zone: 'elsewhere' as never }));
    return 'no error';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    injector.destroy();
  }
});

/** Where a caller's call runs and where its result arrives, and how often Angular would check for changes. */
async function zoneUse(zone: 'inside' | 'outside') {
  const injector = app();
  const caller = runInInjectionContext(injector, () => injectCaller({ name: zone, zone }));
  let checks = 0;
  const subscription = ngZone?.onMicrotaskEmpty.subscribe(() => checks++);
  const result = await new Promise<Record<string, unknown>>((resolve) =>
    inAngular(() => {
      const pending = caller.callSoon(() => NgZone.isInAngularZone());
      pending.subscribe((ranInside) => resolve({ ranInside, deliveredInside: NgZone.isInAngularZone() }));
    }),
  );
  const before = checks;
  // Ten timed calls nobody waits for, each on a timer of its own: inside Angular each timer makes it
  // check for changes; with 'outside' none does.
  const last = inAngular(() => {
    for (let i = 1; i < 10; i++) caller.callLater(i, () => i);
    return caller.callLater(10, () => 10);
  });
  await new Promise<void>((resolve) => last._addPassiveCallback(() => resolve()));
  const quietChecks = checks - before;
  const valueInside = await new Promise<boolean>((resolve) => inAngular(() => of(1).pipe(observeOn(caller)).subscribe(() => resolve(NgZone.isInAngularZone()))));
  subscription?.unsubscribe();
  injector.destroy();
  await caller.stopped;
  return { ...result, valueInside, quietChecks };
}

await record('inside', () => zoneUse('inside'));
await record('outside', () => zoneUse('outside'));

await record('plainCaller', async () => {
  // The entry changes nothing for callers made without it.
  const caller = new Caller();
  const value = await firstValueFrom(of(2).pipe(observeOn(caller)));
  await caller.stop();
  return value;
});

console.log(JSON.stringify(results));
}

void main();
