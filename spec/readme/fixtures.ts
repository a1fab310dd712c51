/**
 * What README examples may lean on without showing it: a task module (`./tasks.js`, the one the Threads
 * and Usage examples load) and, for `ts no-run` page examples only, the page's own globals. Kept as text so
 * the repository's type-check never sees these globals.
 */

/** `./tasks.js` beside each example: real JavaScript, loaded by worker threads. */
export const tasksJs = `
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
export function sum(buffer) {
  return new Uint8Array(buffer).reduce((a, b) => a + b, 0);
}
export function search(term) {
  return ['alpha', 'beta', 'gamma'].filter((word) => word.includes(term));
}
`;

/** Its declarations, so `threadModule<typeof import('./tasks.js')>` is typed. */
export const tasksDts = `
export declare function fib(n: number): number;
export declare function sum(buffer: ArrayBuffer): number;
export declare function search(term: string): string[];
`;

/** The globals of a page, for `ts no-run` browser examples (an input box, a render function…). */
export const pageGlobalsDts = `
declare const input: HTMLInputElement;
declare const urls: string[];
declare function render(value: number): void;
declare function show(results: string[]): void;
`;

/**
 * A minimal \`@angular/core\`, used only where the real package is not installed, so the Angular recipe
 * is still type-checked against the library.
 */
export const angularCoreDts = `
declare module '@angular/core' {
  export function Injectable(options?: { providedIn?: 'root' | null }): ClassDecorator;
  export interface OnDestroy {
    ngOnDestroy(): void;
  }
}
`;
