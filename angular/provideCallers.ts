import { DestroyRef, InjectionToken, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { Caller, type Backend } from '../schedulers/Caller.js';

/** Options of {@link provideCallers}. */
export interface ProvideCallersOptions {
  /** The app caller's name. @default 'app' */
  name?: string;
  /** The app caller's backend, inherited by the callers `injectCaller` makes. @default 'asap' */
  backend?: Backend;
}

/**
 * The app's caller: the parent of every caller {@link injectCaller} makes in this app, stopped (with
 * them, and their worker threads) when the app is destroyed.
 */
export const APP_CALLER = new InjectionToken<Caller>('rxjs-caller APP_CALLER');

/**
 * Provides the app's caller ({@link APP_CALLER}) to an Angular app: callers made by `injectCaller` become
 * its children, and destroying the app (or the environment injector it is provided in) stops it, its
 * children and their threads. Optional: without it, `injectCaller` makes top-level callers.
 *
 * @example
 * import { bootstrapApplication } from '@angular/platform-browser';
 * import { provideCallers } from 'rxjs-caller/angular';
 * bootstrapApplication(AppComponent, { providers: [provideCallers()] });
 * @param options `name` and `backend` of the app caller.
 * @returns environment providers for `bootstrapApplication` or a route.
 */
export function provideCallers(options?: ProvideCallersOptions): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: APP_CALLER,
      useFactory: () => {
        const caller = new Caller({ name: options?.name ?? 'app', backend: options?.backend });
        inject(DestroyRef).onDestroy(() => caller.stop({ force: true }));
        return caller;
      },
    },
  ]);
}
