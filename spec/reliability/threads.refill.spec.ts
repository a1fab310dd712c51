/**
 * The pool sends waiting calls to a thread in batches (once it has answered half its share) without
 * starving them: calls that stay long on a thread never keep a waiting call from the room it has.
 * In-process threads, synchronised with gates.
 */
import { Pending } from '../../lib/Pending';
import { ThreadPool } from '../../schedulers/threads/ThreadPool';
import { POOL_SLOTS } from '../../schedulers/threads/internal/slots';
import { threadModule } from '../../schedulers/threads/threadModule';
import * as local from '../helpers/inProcessTasks';
import { inProcessSpawner } from '../helpers/inProcessThread';

const tasks = threadModule<typeof local>(require.resolve('../helpers/inProcessTasks'));

describe('ThreadPool refill', () => {
  const spawner = inProcessSpawner();
  const pool = new ThreadPool({ maxThreads: 1, spawn: spawner });

  function run<T>(task: unknown, ...args: unknown[]): Pending<T> {
    const pending = new Pending<T>();
    pool.run(task as never, args, pending as Pending<unknown>);
    return pending;
  }

  afterAll(async () => {
    await pool.close();
    await spawner.terminateAll();
  });

  it('should run a waiting call once its thread has room, though most of its calls still run', async () => {
    local.reset();
    const labels = Array.from({ length: POOL_SLOTS }, (_, i) => `held-${i}`);
    const held = labels.map((label) => run<string>(tasks.held, label));
    const waiting = run<string>(tasks.echo, 'waited');
    await Promise.all(labels.map((label) => local.whenStarted(label)));
    // A few calls end: the thread has room, though far more than half its share still runs.
    for (const label of labels.slice(0, 4)) local.gate(label).open();
    await expect(waiting).resolves.toBe('waited');
    expect(held.filter((p) => !p.done)).toHaveLength(POOL_SLOTS - 4);
    for (const label of labels) local.gate(label).open();
    await Promise.all(held);
  });
});
