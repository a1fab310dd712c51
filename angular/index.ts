/**
 * rxjs-caller/angular: callers that live and die with Angular's injection contexts, and choose whether
 * their work runs inside or outside Angular's zone. `@angular/core` is an optional peer dependency, used
 * by this entry only.
 */
export { injectCaller, type CallerZone, type InjectCallerOptions } from './injectCaller.js';
export { APP_CALLER, provideCallers, type ProvideCallersOptions } from './provideCallers.js';
