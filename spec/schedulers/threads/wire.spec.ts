/**
 * What crosses the thread boundary, tested in one process: errors, transfer markers, task references,
 * threadTask / threadModule, and the batching outbox over a MessageChannel.
 */
import { EmptyError } from 'rxjs';
import { PendingCancelled, WorkerCrashedError } from '../../../lib/errors';
import type { Endpoint } from '../../../schedulers/threads/internal/Endpoint';
import { toEndpoint } from '../../../schedulers/threads/internal/Endpoint';
import { Outbox } from '../../../schedulers/threads/internal/Outbox';
import { backChannel, ownChannel } from '../../../schedulers/threads/internal/channels';
import { resolveWorkerEntry } from '../../../schedulers/threads/internal/workerEntry';
import { describeTask, toTaskRef } from '../../../schedulers/threads/internal/taskRef';
import { deserializeFailure, serializeFailure } from '../../../schedulers/threads/internal/wireErrors';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { threadTask } from '../../../schedulers/threads/threadTask';
import { transfer, unwrapTransfers } from '../../../schedulers/threads/transfer';
import type * as Tasks from '../../helpers/tasks';

/** Sends through structured cloning, as postMessage would. */
function roundTrip(thrown: unknown): unknown {
  return deserializeFailure(structuredClone(serializeFailure(thrown)));
}

describe('thread wire format', () => {
  describe('errors', () => {
    it('should rebuild built-in errors as their class, with message, stack and cause', () => {
      const original = new RangeError('too big', { cause: new TypeError('because') });
      const copy = roundTrip(original) as RangeError;
      expect(copy).toBeInstanceOf(RangeError);
      expect(copy.name).toBe('RangeError');
      expect(copy.message).toBe('too big');
      expect(copy.stack).toBe(original.stack);
      expect(copy.cause).toBeInstanceOf(TypeError);
      expect((copy.cause as Error).message).toBe('because');
    });

    it('should rebuild rxjs-caller and rxjs errors as their class, with their own fields', () => {
      const cancelled = roundTrip(new PendingCancelled(['a', 'b'])) as PendingCancelled;
      expect(cancelled).toBeInstanceOf(PendingCancelled);
      expect(cancelled.reasons).toEqual(['a', 'b']);
      expect(roundTrip(new WorkerCrashedError('gone'))).toBeInstanceOf(WorkerCrashedError);
      expect(roundTrip(new EmptyError())).toBeInstanceOf(EmptyError);
    });

    it('should keep the name of a class the receiver does not know, and extra fields like code', () => {
      class QuotaError extends Error {
        override name = 'QuotaError';
        code = 'E_QUOTA';
      }
      const copy = roundTrip(new QuotaError('over quota')) as Error & { code: string };
      expect(copy).toBeInstanceOf(Error);
      expect(copy).toMatchObject({ name: 'QuotaError', message: 'over quota', code: 'E_QUOTA' });
      expect(String(copy)).toBe('QuotaError: over quota');
    });

    it('should carry AggregateError members', () => {
      const copy = roundTrip(new AggregateError([new Error('one'), 'two'], 'both')) as AggregateError;
      expect(copy).toBeInstanceOf(AggregateError);
      expect(copy.errors.map((e: unknown) => (e instanceof Error ? e.message : e))).toEqual(['one', 'two']);
    });

    it('should carry thrown non-errors as they are, and uncloneable ones as a described Error', () => {
      expect(roundTrip({ code: 7 })).toEqual({ code: 7 });
      expect(roundTrip('plain')).toBe('plain');
      const fn = roundTrip(function secret() {}) as Error;
      expect(fn.message).toMatch(/non-cloneable value was thrown: function secret/);
    });

    it('should survive a cyclic cause chain', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      expect(() => structuredClone(serializeFailure(a))).not.toThrow();
    });
  });

  describe('transfer()', () => {
    it('should stand for its value and list what to move, for direct arguments only', () => {
      const buffer = new ArrayBuffer(8);
      const args = [1, transfer(buffer, [buffer]), 'x'];
      const { args: sent, list } = unwrapTransfers(args);
      expect(sent).toEqual([1, buffer, 'x']);
      expect(list).toEqual([buffer]);
      const plain = [1, 2];
      expect(unwrapTransfers(plain)).toEqual({ args: plain, list: undefined });
    });

    it('should refuse a transfer list that is not an array', () => {
      expect(() => transfer(1, 'nope' as never)).toThrow(/Expected `transferList` to be an array/);
    });
  });

  describe('threadTask() and threadModule()', () => {
    it('should name a module export, from a path or a URL', () => {
      const task = threadTask<typeof Tasks.add>('/abs/tasks.js', 'add');
      expect(task).toMatchObject({ moduleUrl: '/abs/tasks.js', exportName: 'add' });
      expect(Object.isFrozen(task)).toBe(true);
      expect(threadTask(new URL('file:///x/y.js'), 'f').moduleUrl).toBe('file:///x/y.js');
      expect(toTaskRef(task)).toEqual({ module: '/abs/tasks.js', name: 'add' });
    });

    it('should refuse relative paths and empty names, saying what to do', () => {
      expect(() => threadTask('./tasks.js', 'add')).toThrow(/relative paths are ambiguous in a worker/);
      expect(() => threadTask('/tasks.js', '')).toThrow(/Expected `exportName` to be a non-empty string/);
      expect(() => threadModule(42 as never)).toThrow(/Expected `moduleUrl`/);
    });

    it('should make one task per property, and none for then or symbols', () => {
      const tasks = threadModule<typeof Tasks>('/abs/tasks.js');
      expect(tasks.add).toBe(tasks.add);
      expect(tasks.add).toMatchObject({ moduleUrl: '/abs/tasks.js', exportName: 'add' });
      expect((tasks as Record<string, unknown>).then).toBeUndefined();
    });

    it('should give functions of the same source and name one ref (a link names it once)', () => {
      const make = () => (n: number) => n + 1;
      expect(toTaskRef(make())).toBe(toTaskRef(make()));
      const named = { f: (n: number) => n + 1 };
      expect(toTaskRef(named.f)).not.toBe(toTaskRef(make()));
    });

    it('should send a function as its source, and refuse what has none', () => {
      const ref = toTaskRef(function double(n: number) {
        return n * 2;
      });
      expect(ref).toMatchObject({ name: 'double' });
      expect(describeTask(ref)).toBe("inline function 'double'");
      expect(() => toTaskRef(Math.max)).toThrow(/native or bound function/);
      expect(() => toTaskRef((() => 1).bind(null))).toThrow(/native or bound function/);
      expect(() => toTaskRef(class A {})).toThrow(/got a class/);
      expect(() => toTaskRef({ moduleUrl: '/x', exportName: 'y' })).toThrow(/Expected `task` to be a ThreadTask/);
    });
  });

  describe('Outbox', () => {
    let channel: MessageChannel;
    let received: unknown[][];
    let stop: () => void;

    beforeEach(() => {
      channel = new MessageChannel();
      received = [];
      stop = toEndpoint(channel.port2).listen((data) => received.push(data as unknown[]));
    });
    afterEach(() => {
      stop();
      channel.port1.close();
      channel.port2.close();
    });

    function nextDelivery(): Promise<void> {
      return new Promise((resolve) => {
        const off = toEndpoint(channel.port2).listen(() => {
          off();
          resolve();
        });
      });
    }

    it('should send what was pushed in one tick as one message', async () => {
      const outbox = new Outbox<number>(toEndpoint(channel.port1), () => undefined);
      const delivered = nextDelivery();
      outbox.push(1);
      outbox.push(2);
      outbox.push(3);
      await delivered;
      expect(received).toEqual([[1, 2, 3]]);
    });

    it('should re-send a batch one by one when a message cannot be cloned, replacing only that one', async () => {
      const failed: unknown[] = [];
      const endpoint: Endpoint = toEndpoint(channel.port1);
      const outbox = new Outbox<{ v: unknown }>(endpoint, (message, error) => {
        failed.push([message.v, (error as Error).name]);
        return { v: 'replacement' };
      });
      outbox.push({ v: 1 });
      outbox.push({ v: () => 2 });
      outbox.push({ v: 3 });
      outbox.flush();
      await new Promise<void>((resolve) => {
        const off = toEndpoint(channel.port2).listen(() => {
          if (received.length === 3) {
            off();
            resolve();
          }
        });
      });
      expect(received).toEqual([[{ v: 1 }], [{ v: 'replacement' }], [{ v: 3 }]]);
      expect(failed).toEqual([[expect.any(Function), 'DataCloneError']]);
    });

    it('should move transferables with their message', async () => {
      const outbox = new Outbox<ArrayBuffer>(toEndpoint(channel.port1), () => undefined);
      const buffer = new ArrayBuffer(4);
      const delivered = nextDelivery();
      outbox.push(buffer, [buffer]);
      outbox.flush();
      expect(buffer.byteLength).toBe(0);
      await delivered;
      expect((received[0]![0] as ArrayBuffer).byteLength).toBe(4);
    });
  });

  describe('channels', () => {
    it('should keep the link’s own batches and each conversation opened back apart on one port', async () => {
      const { port1, port2 } = new MessageChannel();
      const far = toEndpoint(port2);
      const seen: string[] = [];
      const stops = [
        ownChannel(far).listen((batch) => seen.push(`own:${JSON.stringify(batch)}`)),
        backChannel(far, 'main').listen((batch) => seen.push(`main:${JSON.stringify(batch)}`)),
        backChannel(far, 'parent').listen((batch) => seen.push(`parent:${JSON.stringify(batch)}`)),
      ];
      const near = toEndpoint(port1);
      const done = new Promise<void>((resolve) => far.listen((data) => (data as { last?: boolean }).last && resolve()));
      backChannel(near, 'parent').postMessage([3]);
      ownChannel(near).postMessage([1]);
      backChannel(near, 'main').postMessage([2]);
      near.postMessage({ last: true });
      await done;
      for (const stop of stops) stop();
      port1.close();
      expect(seen).toEqual(['parent:[3]', 'own:[1]', 'main:[2]']);
    });
  });

  describe('worker entry', () => {
    it('should resolve to the TypeScript entry next to the sources under jest, started through tsx', () => {
      const entry = resolveWorkerEntry();
      expect(String(entry.url)).toMatch(/schedulers[\\/]worker\.ts$/);
      expect(entry.execArgv).toEqual(['--require', require.resolve('tsx/cjs')]);
    });

    it('should use an explicit entry as given', () => {
      expect(resolveWorkerEntry('/built/schedulers/worker.js')).toEqual({ url: '/built/schedulers/worker.js', execArgv: undefined });
    });
  });
});
