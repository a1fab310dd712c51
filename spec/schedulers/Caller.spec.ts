import { animationFrameScheduler, asapScheduler, asyncScheduler, queueScheduler, type SchedulerLike } from 'rxjs';
import { CallerStoppedError } from '../../lib/errors.js';
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers, thrownBy } from '../helpers/callers.js';
import { within } from '../helpers/within.js';
import { installAnimationFrameHost } from '../helpers/animationFrameHost.js';

/** Construction, validation, identity, the thread's registry, children and toString. */
describe('Caller', () => {
  afterEach(stopAllCallers);

  describe('constructor and identity', () => {
    it('should be running at once, with started settled and stopping/stopped not', () => {
      const caller = new Caller();
      expect(caller.state).toBe('running');
      expect(caller.running).toBe(true);
      expect(caller.started.state).toBe('fulfilled');
      expect(caller.stopping.done).toBe(false);
      expect(caller.stopped.done).toBe(false);
    });

    it("should default to backend 'asap', a `caller-<id>` name, not protected, no parent, no children", () => {
      const caller = new Caller();
      expect(caller.backend).toBe('asap');
      expect(caller.name).toBe(`caller-${caller.id}`);
      expect(caller.protected).toBe(false);
      expect(caller.parent).toBeUndefined();
      expect([...caller.children]).toEqual([]);
    });

    it('should keep the options it was given', () => {
      const custom: SchedulerLike = asyncScheduler;
      expect(new Caller({ name: 'ui' }).name).toBe('ui');
      expect(new Caller({ backend: 'async' }).backend).toBe('async');
      const uninstall = installAnimationFrameHost();
      try {
        expect(new Caller({ backend: 'animationFrame' }).backend).toBe('animationFrame');
      } finally {
        uninstall();
      }
      expect(new Caller({ backend: custom }).backend).toBe(custom);
      expect(new Caller({ protected: true }).protected).toBe(true);
    });

    it('should give every caller its own increasing id', () => {
      const a = new Caller();
      const b = new Caller();
      expect(Number.isInteger(a.id)).toBe(true);
      expect(b.id).toBeGreaterThan(a.id);
    });

    it('should be a SchedulerLike whose now() is the backend clock', () => {
      const clock: SchedulerLike = { now: () => 42, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
      const caller = new Caller({ backend: clock });
      expect(caller.now()).toBe(42);
      expect(typeof caller.schedule).toBe('function');
    });

    it.each([
      ['asap', asapScheduler],
      ['async', asyncScheduler],
      ['animationFrame', animationFrameScheduler],
    ] as const)("should read now() from RxJS's scheduler for backend '%s'", (backend, scheduler) => {
      const spy = jest.spyOn(scheduler, 'now').mockReturnValue(1234);
      const uninstall = installAnimationFrameHost();
      try {
        expect(new Caller({ backend }).now()).toBe(1234);
      } finally {
        uninstall();
        spy.mockRestore();
      }
    });
  });

  describe('argument validation', () => {
    it('should throw a TypeError naming `options` when they are not an object', () => {
      const error = thrownBy(() => new Caller(null as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/`options`.*got `null` \(null\)/);
      expect(() => new Caller('ui' as never)).toThrow(TypeError);
    });

    it('should throw a TypeError naming `options.name`, `options.protected` and `options.backend`', () => {
      expect(() => new Caller({ name: 5 as never })).toThrow(/`options\.name`.*`5` \(number\)/);
      expect(() => new Caller({ protected: 'yes' as never })).toThrow(/`options\.protected`.*"yes"/);
      const bad = thrownBy(() => new Caller({ backend: 'fast' as never }));
      expect(bad).toBeInstanceOf(TypeError);
      expect((bad as Error).message).toMatch(/`options\.backend`.*'asap', 'async', 'animationFrame' or a SchedulerLike, got `"fast"` \(string\)/);
      expect(() => new Caller({ backend: {} as never })).toThrow(TypeError);
      expect(() => new Caller({ backend: { schedule() {} } as never })).toThrow(TypeError);
    });

    it('should not register a caller whose construction failed', () => {
      const before = Caller.all().length;
      expect(() => new Caller({ backend: 'fast' as never })).toThrow(TypeError);
      expect(Caller.all()).toHaveLength(before);
    });

    it('should throw a RangeError naming `delay` for callLater(NaN) or a negative delay', () => {
      const caller = new Caller();
      for (const delay of [NaN, -1, -Infinity]) {
        const error = thrownBy(() => caller.callLater(delay, () => 1));
        expect(error).toBeInstanceOf(RangeError);
        expect((error as Error).message).toMatch(/^Expected `delay` to be a number >= 0, got `/);
      }
      expect(() => caller.callLater('5' as never, () => 1)).toThrow(TypeError);
      expect(() => caller.callLater('5' as never, () => 1)).toThrow(/`delay`/);
    });

    it('should throw a TypeError naming `fn` or `work` when it is not a function', () => {
      const caller = new Caller();
      const notFn = 'nope' as never;
      for (const call of [
        () => caller.callSoon(notFn),
        () => caller.callLater(1, notFn),
        () => caller.callDirect(notFn),
        () => caller.scheduleCall(notFn, []),
        () => caller.callUsingBackend('async', notFn),
        () => caller.queueCall(notFn),
      ]) {
        const error = thrownBy(call);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe('Expected `fn` to be a function, got `"nope"` (string)');
      }
      expect(() => caller.schedule(notFn)).toThrow('Expected `work` to be a function, got `"nope"` (string)');
    });

    it('should throw TypeErrors naming `args`, `options`, `options.backend` and `backend`', () => {
      const caller = new Caller();
      expect(() => caller.scheduleCall(() => 1, 'a' as never)).toThrow(/^Expected `args` to be an array, got `"a"` \(string\)$/);
      expect(() => caller.scheduleCall(() => 1, [], 3 as never)).toThrow(/`options`/);
      expect(() => caller.scheduleCall(() => 1, [], { backend: 'fast' as never })).toThrow(/`options\.backend`/);
      expect(() => caller.callUsingBackend('fast' as never, () => 1)).toThrow(/^Expected `backend` to be/);
      expect(() => caller.get(7 as never)).toThrow(/`options`/);
      expect(() => caller.get({ name: 'x', backend: 'fast' as never })).toThrow(/`options\.backend`/);
      expect(() => caller.stop('force' as never)).toThrow(/`options`/);
    });

    it('should make no call when an argument is bad', async () => {
      const caller = new Caller();
      expect(() => caller.callLater(-1, () => 1)).toThrow(RangeError);
      caller.stop();
      await within(caller.stopped);
      expect(caller.state).toBe('stopped');
    });
  });

  describe('Caller.current(), getExisting() and all()', () => {
    it('should return one stable, protected default caller outside any call', () => {
      const current = Caller.current();
      expect(Caller.current()).toBe(current);
      expect(current).toBeInstanceOf(Caller);
      expect(current.protected).toBe(true);
      expect(current.running).toBe(true);
      expect(Caller.main()).toBe(current);
      expect(Caller.currentPending()).toBeUndefined();
    });

    it('should keep the default caller when stop() is called without force', () => {
      const current = Caller.current();
      expect(current.stop()).toBe(current.stopped);
      expect(current.state).toBe('running');
      expect(Caller.current()).toBe(current);
    });

    it('should find a live caller by id, and forget it once stopped', async () => {
      const caller = new Caller();
      expect(Caller.getExisting(caller.id)).toBe(caller);
      expect(Caller.getExisting(-1)).toBeUndefined();
      caller.stop();
      await within(caller.stopped);
      expect(Caller.getExisting(caller.id)).toBeUndefined();
    });

    it('should list the callers not yet stopped, and only running ones with runningOnly', async () => {
      const running = new Caller();
      const stopping = new Caller();
      const stopped = new Caller();
      let release!: () => void;
      stopping.callSoon(() => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((resolve) => setImmediate(resolve));
      stopping.stop();
      stopped.stop();
      expect(stopping.state).toBe('stopping');
      expect(stopped.state).toBe('stopped');
      expect(Caller.all()).toEqual(expect.arrayContaining([running, stopping]));
      expect(Caller.all()).not.toContain(stopped);
      expect(Caller.all({ runningOnly: true })).toContain(running);
      expect(Caller.all({ runningOnly: true })).not.toContain(stopping);
      release();
      await within(stopping.stopped);
      expect(Caller.all()).not.toContain(stopping);
    });
  });

  describe('get() children', () => {
    it('should make a running child with this caller as parent, listed in children', () => {
      const parent = new Caller({ name: 'parent' });
      const child = parent.get({ name: 'child' });
      expect(child).toBeInstanceOf(Caller);
      expect(child.name).toBe('child');
      expect(child.parent).toBe(parent);
      expect(child.running).toBe(true);
      expect([...parent.children]).toEqual([child]);
    });

    it('should return the same child for the same name, and different children for different names', () => {
      const parent = new Caller();
      const a = parent.get({ name: 'a' });
      expect(parent.get({ name: 'a' })).toBe(a);
      expect(parent.get({ name: 'a', backend: 'asap' })).toBe(a);
      const b = parent.get({ name: 'b' });
      expect(b).not.toBe(a);
      const anonymous = parent.get();
      expect(anonymous).not.toBe(parent.get());
      expect(parent.children.size).toBe(4);
    });

    it("should inherit the parent's backend unless one is given", () => {
      const parent = new Caller({ backend: 'async' });
      expect(parent.get({ name: 'inherits' }).backend).toBe('async');
      expect(parent.get({ name: 'own', backend: queueScheduler }).backend).toBe(queueScheduler);
    });

    it('should throw a TypeError naming both backends when the existing child has another backend', () => {
      const parent = new Caller();
      const child = parent.get({ name: 'ui', backend: 'async' });
      const error = thrownBy(() => parent.get({ name: 'ui', backend: 'asap' }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe("Child caller 'ui' exists with backend 'async', not 'asap'");
      expect(() => parent.get({ name: 'ui', backend: asyncScheduler })).not.toThrow(); // the same scheduler
      expect(parent.get({ name: 'ui' })).toBe(child);
      expect(() => parent.get({ name: 'ui', backend: asapScheduler })).toThrow(/a custom SchedulerLike/);
    });

    it('should leave children once stopped, and make a new child of that name afterwards', async () => {
      const parent = new Caller();
      const child = parent.get({ name: 'worker' });
      child.stop();
      await within(child.stopped);
      expect(parent.children.has(child)).toBe(false);
      const again = parent.get({ name: 'worker' });
      expect(again).not.toBe(child);
      expect(again.running).toBe(true);
    });

    it('should refuse to make children once stopping, with CallerStoppedError', async () => {
      const parent = new Caller({ name: 'p' });
      parent.stop();
      await within(parent.stopped);
      const error = thrownBy(() => parent.get({ name: 'late' }));
      expect(error).toBeInstanceOf(CallerStoppedError);
      expect((error as Error).message).toMatch(/'p' is stopped/);
    });
  });

  describe('toString()', () => {
    it('should show the state marker, state, name, id and children count', async () => {
      const caller = new Caller({ name: 'ui' });
      expect(String(caller)).toBe(`<Caller 🏃 running name='ui' id=${caller.id}>`);
      const one = caller.get({ name: 'one' });
      expect(String(caller)).toBe(`<Caller 🏃 running name='ui' id=${caller.id} 1 child>`);
      caller.get({ name: 'two' });
      expect(String(caller)).toBe(`<Caller 🏃 running name='ui' id=${caller.id} 2 children>`);
      let release!: () => void;
      one.callSoon(() => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((resolve) => setImmediate(resolve));
      caller.stop();
      expect(String(caller)).toBe(`<Caller 🛑 stopping name='ui' id=${caller.id} 1 child>`);
      release();
      await within(caller.stopped);
      expect(String(caller)).toBe(`<Caller 🏁 stopped name='ui' id=${caller.id}>`);
    });
  });
});
