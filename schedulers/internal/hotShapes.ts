import type { Caller } from '../Caller.js';
import { CallerAction } from './CallerAction.js';
import { CallPending } from './CallPending.js';

/**
 * V8 holds the hidden classes ("maps") an object passes through as its constructor sets its fields only
 * weakly. When a full GC finds no live call or action — every call settled, a burst over — those maps die,
 * and each optimized function that embeds them (then, settle, runQueued, the constructors…) is thrown
 * away ("embedded weak objects cleared" in `--trace-deopt`): the next calls run unoptimized until V8
 * optimizes them again, measured at ~3x the time per call after each such GC. One idle object of each hot
 * shape, kept for the thread's lifetime (a few hundred bytes, holding no user data), keeps those maps.
 */
let kept: readonly object[] | undefined;

/** Makes the idle objects once (from the first caller's constructor). */
export function keepHotShapes(): void {
  if (kept !== undefined) return;
  const placeholder = {} as Caller;
  const call = new CallPending<unknown>(placeholder, noop, []);
  call.setResult(undefined);
  kept = [call, new CallerAction<unknown>(placeholder, noop, false)];
}

function noop(): void {}
