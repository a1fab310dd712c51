/**
 * The compact form of a link's batches (compactBatch.ts): plain calls and results travel as a tag and
 * their fields, every other message as its object. In one process, through structured cloning and a
 * MessageChannel, then through a pool over in-process threads.
 */
import { PendingCancelled } from '../../../lib/errors';
import { Pending } from '../../../lib/Pending';
import { decodeBatch, encodeBatch } from '../../../schedulers/threads/internal/compactBatch';
import { toEndpoint } from '../../../schedulers/threads/internal/Endpoint';
import { Outbox } from '../../../schedulers/threads/internal/Outbox';
import type { CallMessage, ClientMessage, ResultMessage, WorkerMessage } from '../../../schedulers/threads/internal/protocol';
import { ThreadPool } from '../../../schedulers/threads/ThreadPool';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { transfer } from '../../../schedulers/threads/transfer';
import { inProcessSpawner } from '../../helpers/inProcessThread';
import * as local from '../../helpers/inProcessTasks';

type Message = ClientMessage | WorkerMessage;

/** Values that look like the compact form's tags, or like messages, in every place a value can be. */
const lookalikes = [0, 1, 2, -1, undefined, null, 'call', { type: 'result', id: 1, value: 2 }, [0, 1, 2]];

const everyKind: Message[] = [
  { type: 'task', id: 1, task: { module: '/tasks.js', name: 'echo' } },
  { type: 'call', id: 1, task: 1, args: lookalikes, slot: 0 },
  { type: 'call', id: 2, task: 1, args: [], slot: -1 },
  { type: 'call', id: 3, task: 1, args: [1], slot: 2, mode: 'observe', delay: 0 },
  { type: 'call', id: 4, task: 1, args: [0], slot: 3, mode: 'call', delay: 50 },
  { type: 'call', id: 5, task: 1, args: [0], slot: 4, mode: 'observe' },
  { type: 'call', id: 6, task: 1, args: [0], slot: 5, delay: 10 },
  { type: 'cancel', id: 1, reason: 'no longer needed' },
  { type: 'forget', id: 1 },
  { type: 'result', id: 1, value: 0 },
  { type: 'result', id: 2, value: 1 },
  { type: 'result', id: 3, value: undefined },
  { type: 'result', id: 4, value: lookalikes },
  { type: 'error', id: 5, failure: { value: 1 } },
  { type: 'cancelled', id: 6, reasons: [] },
  { type: 'next', id: 7, value: 0 },
  { type: 'complete', id: 7 },
  { type: 'stop', id: 0, force: false },
];

describe('compact batches', () => {
  it('should give back every kind of message, field for field, after structured cloning', () => {
    const decoded = decodeBatch<Message>(structuredClone(encodeBatch(everyKind)));
    expect(decoded).toEqual(everyKind);
    // toEqual treats a missing key and an undefined one alike: a result of undefined must still carry it.
    expect(Object.keys(decoded[11]!)).toEqual(expect.arrayContaining(['value']));
  });

  it('should send plain calls and results as a tag and their fields, and every other message as its object', () => {
    const wire = encodeBatch([everyKind[1]!, everyKind[9]!, everyKind[3]!, everyKind[10]!]);
    expect(wire).toEqual([0, 1, 1, 0, lookalikes, 1, 1, 0, everyKind[3], 1, 2, 1]);
  });

  it('should read a batch of objects alone as it is (what runSync’s starter sends)', () => {
    const batch = [everyKind[0]!, everyKind[3]!, everyKind[5]!];
    expect(decodeBatch(batch)).toEqual(batch);
  });

  it('should read several calls in a row, each with its own arguments', () => {
    const calls: Message[] = [0, 1, 2].map((id) => ({ type: 'call', id, task: id, args: [id, 1 - id], slot: id - 1 }));
    expect(decodeBatch(structuredClone(encodeBatch(calls)))).toEqual(calls);
  });

  describe('through an Outbox', () => {
    it('should move the transfer lists of the calls that have one, and copy the arguments of the others', async () => {
      const { port1, port2 } = new MessageChannel();
      const received = new Promise<Message[]>((resolve) => {
        const stop = toEndpoint(port2).listen((data) => {
          stop();
          resolve(decodeBatch(data as unknown[]));
        });
      });
      const outbox = new Outbox<Message>(toEndpoint(port1), () => undefined, encodeBatch);
      const moved = new ArrayBuffer(8);
      const copied = new ArrayBuffer(4);
      outbox.push({ type: 'call', id: 1, task: 1, args: [copied], slot: -1 });
      outbox.push({ type: 'call', id: 2, task: 1, args: [1, moved], slot: 0 }, [moved]);
      outbox.push({ type: 'result', id: 3, value: copied });
      outbox.flush();
      const batch = await received;
      port1.close();
      expect(moved.byteLength).toBe(0);
      expect(copied.byteLength).toBe(4);
      expect(batch.map((m) => m.type)).toEqual(['call', 'call', 'result']);
      expect(((batch[0] as CallMessage).args[0] as ArrayBuffer).byteLength).toBe(4);
      expect(((batch[1] as CallMessage).args[1] as ArrayBuffer).byteLength).toBe(8);
      expect(((batch[2] as ResultMessage).value as ArrayBuffer).byteLength).toBe(4);
    });
  });

  describe('through a pool', () => {
    const tasks = threadModule<typeof local>(require.resolve('../../helpers/inProcessTasks'));
    let spawner: ReturnType<typeof inProcessSpawner>;
    let pool: ThreadPool;

    beforeEach(() => {
      local.reset();
      spawner = inProcessSpawner();
      pool = new ThreadPool({ maxThreads: 1, spawn: spawner });
    });
    afterEach(async () => {
      await pool.close();
      await spawner.terminateAll();
    });

    function run(task: unknown, ...args: unknown[]): Pending<unknown> {
      const pending = new Pending<unknown>();
      pool.run(task as never, args, pending);
      return pending;
    }

    it('should answer each of many calls sent in one batch with its own value, error or cancellation', async () => {
      const buffer = new ArrayBuffer(16);
      const echoes = lookalikes.map((value) => run(tasks.echo, value));
      const failed = run(tasks.fail, 'broken');
      const moved = run(tasks.echo, transfer(buffer, [buffer]));
      const cancelled = run(tasks.heldUntilAborted, 'a');
      const last = run(tasks.echo, 1);
      await local.whenStarted('a');
      cancelled.cancel('enough');
      await expect(Promise.all(echoes)).resolves.toEqual(lookalikes);
      await expect(failed).rejects.toThrow('broken');
      expect(buffer.byteLength).toBe(0);
      expect(((await moved) as ArrayBuffer).byteLength).toBe(16);
      await expect(cancelled).rejects.toBeInstanceOf(PendingCancelled);
      await expect(last).resolves.toBe(1);
    });
  });
});
