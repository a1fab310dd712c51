/**
 * The exact messages of Caller's argument errors that the other Caller suites only match in part (the
 * full table of bad inputs lives in spec/reliability/badInput.spec.ts, outside the mutation run's suites).
 */
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers, thrownBy } from '../helpers/callers.js';

describe('Caller (messages)', () => {
  afterEach(stopAllCallers);

  it('should name `options.name` and `options.protected` with the value it got', () => {
    expect(thrownBy(() => new Caller({ name: 5 as never }))).toEqual(new TypeError('Expected `options.name` to be a string, got `5` (number)'));
    expect(thrownBy(() => new Caller({ protected: 'yes' as never }))).toEqual(new TypeError('Expected `options.protected` to be a boolean, got `"yes"` (string)'));
  });

  it('should name `id` of getExisting() and `options.runningOnly` of all()', () => {
    expect(thrownBy(() => Caller.getExisting('1' as never))).toEqual(new TypeError('Expected `id` to be a number, got `"1"` (string)'));
    expect(thrownBy(() => Caller.all(5 as never))).toEqual(new TypeError('Expected `options` to be an options object or undefined, got `5` (number)'));
    expect(thrownBy(() => Caller.all({ runningOnly: 1 as never }))).toEqual(new TypeError('Expected `options.runningOnly` to be a boolean, got `1` (number)'));
  });

  it('should name `fn` of queueGet() and queueClose(), and answer them on a caller that never queued', () => {
    const caller = new Caller();
    expect(thrownBy(() => caller.queueGet(5 as never))).toEqual(new TypeError('Expected `fn` to be a function, got `5` (number)'));
    expect(thrownBy(() => caller.queueClose('f' as never))).toEqual(new TypeError('Expected `fn` to be a function, got `"f"` (string)'));
    const fn = (): void => undefined;
    expect(caller.queueGet(fn)).toBeUndefined();
    expect(caller.queueClose(fn)).toBeUndefined();
  });

  it("should name the thread's default caller 'main'", () => {
    expect(Caller.current().name).toBe('main');
    expect(Caller.current().protected).toBe(true);
  });

  it('should name the `delay` of schedule() when it is not a number', () => {
    const caller = new Caller();
    expect(thrownBy(() => caller.schedule(() => undefined, '5' as never))).toEqual(new TypeError('Expected `delay` to be a number of milliseconds, got `"5"` (string)'));
  });

  it('should name `options.metadata` and `options.track` of scheduleCall()', () => {
    const caller = new Caller();
    for (const metadata of [null, 5, 'm']) {
      const error = thrownBy(() => caller.scheduleCall(() => 1, [], { metadata: metadata as never }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^Expected `options\.metadata` to be an object, got `/);
    }
    expect(thrownBy(() => caller.scheduleCall(() => 1, [], { track: 'no' as never }))).toEqual(new TypeError('Expected `options.track` to be a boolean, got `"no"` (string)'));
    expect(caller.scheduleCall(() => 1, [], { metadata: { tag: 't' } }).metadata).toEqual(expect.objectContaining({ tag: 't' }));
  });
});
