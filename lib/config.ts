import { threadState } from './internal/threadState.js';

export type { RxjsCallerConfig } from './internal/threadState.js';

/**
 * The package's global settings, shared by its ESM and CJS builds within one thread.
 *
 * @example
 * import { config } from 'rxjs-caller';
 * config.onUnobservedError = (error) => reportToSentry(error);
 */
export const config = threadState.config;
