/**
 * What a caller accepts as its backend (schedulers/internal/backends.ts): the three names and any
 * SchedulerLike — an object with `schedule` and `now` functions — and nothing else, with an error naming
 * the option, for `new Caller()`, `get()` of an existing child and `callUsingBackend`.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers, thrownBy } from '../helpers/callers.js';
import { within } from '../helpers/within.js';

const notABackend = (name: string, got: string) => new TypeError(`Expected \`${name}\` to be 'asap', 'async', 'animationFrame' or a SchedulerLike, got ${got}`);

describe('Caller backends', () => {
  afterEach(stopAllCallers);

  const refused: [string, unknown, string][] = [
    ['an unknown name', 'soon', '`"soon"` (string)'],
    ['null', null, '`null` (null)'],
    ['a number', 5, '`5` (number)'],
    ['an object without schedule', { now: () => 0 }, '`[object Object]` (object)'],
    ['an object without now', { schedule: () => undefined }, '`[object Object]` (object)'],
    ['an object whose now is not a function', { schedule: () => undefined, now: 0 }, '`[object Object]` (object)'],
  ];
  it.each(refused)('should refuse %s as the backend, naming the option', (_label, backend, got) => {
    expect(thrownBy(() => new Caller({ backend: backend as never }))).toEqual(notABackend('options.backend', got));
  });

  it('should refuse a function carrying schedule and now: a SchedulerLike is an object', () => {
    const fn = Object.assign(() => undefined, { schedule: () => undefined, now: () => 0 });
    expect((thrownBy(() => new Caller({ backend: fn as never })) as Error).message).toMatch(/^Expected `options.backend` to be 'asap', 'async', 'animationFrame' or a SchedulerLike, got .*\(function\)$/);
  });

  it('should refuse an object whose properties throw when read, rather than throw their error', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no reading');
        },
      },
    );
    expect(thrownBy(() => new Caller({ backend: hostile as never }))).toBeInstanceOf(TypeError);
  });

  it('should take any object with schedule and now functions as it is', async () => {
    const custom: SchedulerLike = { schedule: asyncScheduler.schedule.bind(asyncScheduler), now: () => asyncScheduler.now() };
    const caller = new Caller({ backend: custom });
    expect(caller.backend).toBe(custom);
    expect(await within(caller.callSoon(() => 'ran'))).toBe('ran');
  });

  it('should name the option when get() of an existing child is given a bad backend, and callUsingBackend its argument', () => {
    const parent = new Caller();
    parent.get({ name: 'child' });
    expect(thrownBy(() => parent.get({ name: 'child', backend: 'soon' as never }))).toEqual(notABackend('options.backend', '`"soon"` (string)'));
    expect(thrownBy(() => parent.callUsingBackend('soon' as never, () => undefined))).toEqual(notABackend('backend', '`"soon"` (string)'));
  });
});
