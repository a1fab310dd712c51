/**
 * `instanceof` across two copies of the package (the ESM and the CJS build in one process): a second copy
 * of the sources is loaded in an isolated module registry, as a second build would be. The packaging test
 * checks the same with the real ESM and CJS builds.
 */
import * as ours from '../../index';

type Root = typeof ours;

function secondCopy(): Root {
  let copy: Root | undefined;
  jest.isolateModules(() => {
    copy = require('../../index') as Root;
  });
  return copy!;
}

describe('instanceof across copies of the package', () => {
  const other = secondCopy();
  const errors = ['PendingCancelled', 'PendingNotDone', 'PendingTimeout', 'DeadlockError', 'WorkerCrashedError', 'CallerStoppedError'] as const;

  it('should load two distinct copies (the hazard being tested)', () => {
    expect(other.Pending).not.toBe(ours.Pending);
    expect(other.Caller).not.toBe(ours.Caller);
    expect(other.PendingCancelled).not.toBe(ours.PendingCancelled);
  });

  it('should recognise a Pending, a PendingGroup and a Caller of the other copy, both ways', () => {
    const theirs = new other.Pending<number>();
    const mine = new ours.Pending<number>();
    expect([theirs instanceof ours.Pending, mine instanceof other.Pending]).toEqual([true, true]);
    expect(new other.PendingGroup() instanceof ours.PendingGroup).toBe(true);
    const caller = new other.Caller({ name: 'other-copy' });
    try {
      expect(caller instanceof ours.Caller).toBe(true);
      // A call's pending is a subclass of the other copy's Pending: it is still a Pending here.
      expect(caller.callSoon(() => 1) instanceof ours.Pending).toBe(true);
    } finally {
      caller.stop();
    }
  });

  it('should recognise each error of the other copy as its own class only', async () => {
    const cancelled = new other.Pending<number>();
    cancelled.cancel('from the other copy');
    const error = await cancelled.then(undefined, (e: unknown) => e);
    expect(error instanceof ours.PendingCancelled).toBe(true);
    expect(error instanceof Error).toBe(true);
    for (const name of errors) {
      const made = name === 'PendingTimeout' ? new other.PendingTimeout(5) : new other[name]();
      expect(errors.filter((n) => made instanceof ours[n])).toEqual([name]);
    }
    expect(new other.PendingGroupError([new Error('a')]) instanceof ours.PendingGroupError).toBe(true);
  });

  it('should not recognise look-alikes, primitives or unrelated classes', () => {
    expect([null, undefined, 1, 'Pending', {}, Object.create(null), new Error('x')].some((v) => v instanceof ours.Pending || v instanceof ours.PendingCancelled)).toBe(false);
    expect(new other.PendingTimeout(1) instanceof ours.PendingCancelled).toBe(false);
    expect(new ours.Pending() instanceof ours.Caller).toBe(false);
    expect({ then() {}, subscribe() {} } instanceof ours.Pending).toBe(false);
  });

  it('should keep the ordinary check for subclasses', () => {
    class Mine extends ours.Pending<number> {}
    expect(new Mine() instanceof Mine).toBe(true);
    expect(new Mine() instanceof ours.Pending).toBe(true);
    expect(new other.Pending() instanceof Mine).toBe(false);
  });
});
