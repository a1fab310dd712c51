import { CallerStoppedError, DeadlockError, PendingCancelled, PendingGroupError, PendingNotDone, PendingTimeout, WorkerCrashedError } from '../../lib/errors.js';
import * as root from '../../index.js';

describe('errors', () => {
  const cause = new Error('the cause');

  describe.each<[string, new (...args: never[]) => Error, () => Error, (c: unknown) => Error, RegExp]>([
    ['PendingCancelled', PendingCancelled, () => new PendingCancelled(), (c) => new PendingCancelled(['r'], { cause: c }), /^Pending was cancelled$/],
    ['PendingNotDone', PendingNotDone, () => new PendingNotDone(), (c) => new PendingNotDone(undefined, { cause: c }), /not done yet: await it/],
    ['PendingTimeout', PendingTimeout, () => new PendingTimeout(250), (c) => new PendingTimeout(1, { cause: c }), /^Pending did not settle within 250 ms$/],
    ['DeadlockError', DeadlockError, () => new DeadlockError(), (c) => new DeadlockError(undefined, { cause: c }), /^Deadlock: a pending cannot wait for itself/],
    ['PendingGroupError', PendingGroupError, () => new PendingGroupError([new Error('a')]), (c) => new PendingGroupError([], undefined, { cause: c }), /^1 member of the pending group failed: Error: a$/],
    ['WorkerCrashedError', WorkerCrashedError, () => new WorkerCrashedError(), (c) => new WorkerCrashedError(undefined, { cause: c }), /crashed or exited/],
    ['CallerStoppedError', CallerStoppedError, () => new CallerStoppedError(), (c) => new CallerStoppedError(undefined, { cause: c }), /caller is stopped/],
  ])('%s', (name, Class, make, makeWithCause, defaultMessage) => {
    it('should be an Error and an instance of its class', () => {
      const error = make();
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(Class);
    });

    it('should carry its class name as name, on the instance and in toString()', () => {
      const error = make();
      expect(error.name).toBe(name);
      expect(Object.prototype.hasOwnProperty.call(error, 'name')).toBe(true);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
      expect(error.stack).toMatch(new RegExp(`^${name}: `));
    });

    it('should have an actionable default message', () => {
      expect(make().message).toMatch(defaultMessage);
    });

    it('should keep the cause it was given', () => {
      expect(makeWithCause(cause).cause).toBe(cause);
      expect(make().cause).toBeUndefined();
    });

    it('should be exported from the root entry', () => {
      expect((root as Record<string, unknown>)[name]).toBe(Class);
    });
  });

  it('should not be instances of each other', () => {
    expect(new PendingCancelled()).not.toBeInstanceOf(PendingTimeout);
    expect(new PendingTimeout(1)).not.toBeInstanceOf(PendingCancelled);
    expect(new DeadlockError()).not.toBeInstanceOf(PendingNotDone);
  });

  describe('PendingCancelled', () => {
    it('should list the non-empty reasons in order, in its message and in reasons', () => {
      const error = new PendingCancelled(['first', '', 'second']);
      expect(error.message).toBe('Pending was cancelled: first; second');
      expect(error.reasons).toEqual(['first', 'second']);
    });

    it('should copy the reasons it was given', () => {
      const reasons = ['a'];
      const error = new PendingCancelled(reasons);
      reasons.push('b');
      expect(error.reasons).toEqual(['a']);
    });
  });

  describe('PendingTimeout', () => {
    it('should keep the timeout that elapsed', () => {
      expect(new PendingTimeout(30).timeout).toBe(30);
    });
  });

  describe('PendingGroupError', () => {
    it('should be an AggregateError holding every member error', () => {
      const a = new Error('a');
      const b = new TypeError('b');
      const error = new PendingGroupError([a, b, 'plain']);
      expect(error).toBeInstanceOf(AggregateError);
      expect(error.errors).toEqual([a, b, 'plain']);
      expect(error.message).toBe('3 members of the pending group failed: Error: a; TypeError: b; plain');
    });

    it('should accept any iterable and a message of its own', () => {
      const error = new PendingGroupError(new Set([1]), 'custom');
      expect(error.errors).toEqual([1]);
      expect(error.message).toBe('custom');
    });
  });

  it('should let a message be given to the errors that take one', () => {
    expect(new PendingNotDone('m').message).toBe('m');
    expect(new DeadlockError('m').message).toBe('m');
    expect(new WorkerCrashedError('m').message).toBe('m');
    expect(new CallerStoppedError('m').message).toBe('m');
  });
});
