import { asapScheduler, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers } from '../helpers/callers.js';

/**
 * Order across callers sharing a backend, checked differentially against RxJS's own `asapScheduler`:
 * zero-delay work a drain queues again goes behind what other callers queued meanwhile.
 */
describe('Caller order across callers', () => {
  afterEach(stopAllCallers);

  /** Each name's work reschedules itself `runs` times on its own scheduler; resolves with the run order. */
  function interleaving(schedulers: Record<string, SchedulerLike>, runs: number): Promise<string[]> {
    const log: string[] = [];
    let left = Object.keys(schedulers).length;
    return new Promise((resolve) => {
      for (const [name, scheduler] of Object.entries(schedulers)) {
        scheduler.schedule(function (i = 0) {
          log.push(`${name}${i}`);
          if (i + 1 < runs) this.schedule(i + 1);
          else if (--left === 0) resolve(log);
        }, 0, 0);
      }
    });
  }

  it('should interleave self-rescheduling work of two callers as asapScheduler interleaves it', async () => {
    const reference = await interleaving({ x: asapScheduler, y: asapScheduler }, 4);
    expect(reference).toEqual(['x0', 'y0', 'x1', 'y1', 'x2', 'y2', 'x3', 'y3']);
    const ours = await interleaving({ x: new Caller({ name: 'x' }), y: new Caller({ name: 'y' }) }, 4);
    expect(ours).toEqual(reference);
  });

  it('should interleave three callers in the same order as asapScheduler', async () => {
    const reference = await interleaving({ x: asapScheduler, y: asapScheduler, z: asapScheduler }, 3);
    expect(reference).toEqual(['x0', 'y0', 'z0', 'x1', 'y1', 'z1', 'x2', 'y2', 'z2']);
    expect(await interleaving({ x: new Caller(), y: new Caller(), z: new Caller() }, 3)).toEqual(reference);
  });

  it('should keep a caller that rescheduled itself behind a caller that started later in the same round', async () => {
    const x = new Caller({ name: 'x' });
    const y = new Caller({ name: 'y' });
    const log: string[] = [];
    x.schedule(function (i = 0) {
      log.push(`x${i}`);
      if (i === 0) y.schedule(() => log.push('y0'));
      if (i < 2) this.schedule(i + 1);
    }, 0, 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log).toEqual(['x0', 'y0', 'x1', 'x2']);
  });

  it('should run a call made by a call after the calls other callers queued meanwhile', async () => {
    const x = new Caller({ name: 'x' });
    const y = new Caller({ name: 'y' });
    const log: string[] = [];
    const chain = (caller: Caller, name: string, i: number): Promise<void> | void => {
      log.push(`${name}${i}`);
      if (i < 2) return caller.callSoon(chain, caller, name, i + 1).then(() => undefined);
    };
    await Promise.all([x.callSoon(chain, x, 'x', 0), y.callSoon(chain, y, 'y', 0)]);
    expect(log).toEqual(['x0', 'y0', 'x1', 'y1', 'x2', 'y2']);
  });

  it('should still run what was queued before a drain in one batch (calls of one caller stay together)', async () => {
    const x = new Caller({ name: 'x' });
    const y = new Caller({ name: 'y' });
    const log: string[] = [];
    const calls = [x.callSoon(() => log.push('x0')), y.callSoon(() => log.push('y0')), x.callSoon(() => log.push('x1')), y.callSoon(() => log.push('y1'))];
    await Promise.all(calls);
    expect(log).toEqual(['x0', 'x1', 'y0', 'y1']);
  });

  it('should interleave the same way in virtual time, inside TestScheduler.run()', () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const log: string[] = [];
    testScheduler.run(() => {
      for (const [name, scheduler] of [['x', new Caller()], ['y', new Caller()]] as const) {
        scheduler.schedule(function (i = 0) {
          log.push(`${name}${i}@${scheduler.now()}`);
          if (i < 2) this.schedule(i + 1);
        }, 0, 0);
      }
    });
    expect(log).toEqual(['x0@0', 'y0@0', 'x1@0', 'y1@0', 'x2@0', 'y2@0']);
  });
});
