/**
 * Bad input over the thread and process API (issue 8, defect 9, threads side): every option of
 * `get({ thread })` and `get({ process })`, `config.poolResourceLimits`, the task of `toThread`, `runSync`
 * and `threadTask`, and a ThreadCaller's `callLater` delay. Each bad value gives a clear TypeError or
 * RangeError naming the argument and what it got, or a documented behaviour (README, Reliability) — and
 * none hangs: whatever a row started is stopped and settles. Same table shape as badInput.spec.ts.
 */
import { config } from '../../lib/config';
import { Pending } from '../../lib/Pending';
import { Caller } from '../../schedulers/Caller';
import { ThreadCaller } from '../../schedulers/ThreadCaller';
import { ProcessCaller } from '../../schedulers/ProcessCaller';
import { runSync } from '../../schedulers/threads/runSync';
import { threadTask } from '../../schedulers/threads/threadTask';
import { PROXY_ERROR, badInputCases, expectBadInputOutcome, type BadInputRow } from '../helpers/badInput';

let caller: Caller;
const inc = threadTask<(i: number) => number>(require.resolve('../helpers/faultTasks.mjs'), 'inc');

/** A child the row made (read as options it could use) is stopped, and its stop settles. */
const childStops = async (result: unknown) => {
  expect(result instanceof ThreadCaller || result instanceof ProcessCaller).toBe(true);
  const child = result as ThreadCaller;
  child.stop({ force: true });
  await child.stopped;
  expect(child.state).toBe('stopped');
};
/** The returned pending fails with an argument error naming `arg`. */
const rejectsNaming = (arg: string) => async (result: unknown) => {
  expect(result).toBeInstanceOf(Pending);
  const error = await (result as Pending<unknown>).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect([TypeError.name, RangeError.name]).toContain(error?.name);
  expect(error?.message).toContain(`\`${arg}\``);
};
/** The returned pending never runs; cancelling it settles it. */
const settlesWhenCancelled = async (result: unknown) => {
  const pending = result as Pending<unknown>;
  expect(pending).toBeInstanceOf(Pending);
  pending.cancel('bad-input test');
  await expect(pending).rejects.toMatchObject({ name: 'PendingCancelled' });
};
const optionsObject = { 'a Proxy that throws': 'own error', 'a thenable that throws': childStops } as const;
let thread: ThreadCaller | undefined;
const onThread = () => (thread ??= caller.get({ name: 'bad-input-thread', thread: true }));

const ROWS: BadInputRow[] = [
  { api: 'caller.get({ thread })', arg: 'options.thread', call: (v) => caller.get({ thread: v as never }), accepts: optionsObject },
  { api: 'get({ thread: { workerEntry } })', arg: 'options.thread.workerEntry', call: (v) => caller.get({ thread: { workerEntry: v as never } }), accepts: { 'a Proxy that throws': 'own error' } },
  { api: 'get({ thread: { execArgv } })', arg: 'options.thread.execArgv', call: (v) => caller.get({ thread: { execArgv: v as never } }) },
  { api: 'get({ thread: { resourceLimits } })', arg: 'options.thread.resourceLimits', call: (v) => caller.get({ thread: { resourceLimits: v as never } }), accepts: { 'a Proxy that throws': 'own error' } },
  {
    api: 'get({ thread: { resourceLimits: { maxOldGenerationSizeMb } } })',
    arg: 'options.thread.resourceLimits.maxOldGenerationSizeMb',
    call: (v) => caller.get({ thread: { resourceLimits: { maxOldGenerationSizeMb: v as never } } }),
  },
  { api: 'caller.get({ process })', arg: 'options.process', call: (v) => caller.get({ process: v as never }), accepts: optionsObject },
  { api: 'get({ process: { workerEntry } })', arg: 'options.process.workerEntry', call: (v) => caller.get({ process: { workerEntry: v as never } }), accepts: { 'a Proxy that throws': 'own error' } },
  { api: 'get({ process: { execArgv } })', arg: 'options.process.execArgv', call: (v) => caller.get({ process: { execArgv: v as never } }) },
  { api: 'get({ process: { env } })', arg: 'options.process.env', call: (v) => caller.get({ process: { env: v as never } }), accepts: { 'a Proxy that throws': 'own error', 'a thenable that throws': childStops } },
  { api: 'get({ process: { cwd } })', arg: 'options.process.cwd', call: (v) => caller.get({ process: { cwd: v as never } }), accepts: { 'a string': childStops, 'a Proxy that throws': 'own error' } },
  {
    api: 'config.poolResourceLimits = value; toThread(...)',
    arg: 'config.poolResourceLimits',
    call: (v) => {
      config.poolResourceLimits = v as never;
      return caller.toThread(inc, 1);
    },
    accepts: {
      'a string': rejectsNaming('config.poolResourceLimits'),
      NaN: rejectsNaming('config.poolResourceLimits'),
      'a negative number': rejectsNaming('config.poolResourceLimits'),
      Infinity: rejectsNaming('config.poolResourceLimits'),
      'a Proxy that throws': async (result) => expect(result).rejects.toThrow(PROXY_ERROR),
      'a thenable that throws': rejectsNaming('config.poolResourceLimits'),
    },
  },
  { api: 'caller.toThread(task)', arg: 'task', call: (v) => caller.toThread(v as never), accepts: { 'a Proxy that throws': 'own error' } },
  { api: 'runSync(task)', arg: 'task', call: (v) => runSync(v as never), accepts: { 'a Proxy that throws': 'own error' } },
  { api: 'threadTask(moduleUrl, name)', arg: 'moduleUrl', call: (v) => threadTask(v as never, 'inc'), accepts: { 'a Proxy that throws': 'own error', 'a string': (task) => expect(task).toMatchObject({ moduleUrl: 'abc' }) } },
  { api: 'threadTask(moduleUrl, exportName)', arg: 'exportName', call: (v) => threadTask('/tasks.js', v as never), accepts: { 'a string': (task) => expect(task).toMatchObject({ exportName: 'abc' }) } },
  { api: 'threadCaller.callLater(delay, task)', arg: 'delay', call: (v) => onThread().callLater(v as never, inc, 1), accepts: { Infinity: settlesWhenCancelled } },
  { api: 'threadCaller.callSoon(task)', arg: 'task', call: (v) => onThread().callSoon(v as never), accepts: { 'a Proxy that throws': 'own error' } },
];

const CASES = badInputCases(ROWS);

describe('bad input to threads and processes (table-driven)', () => {
  const savedLimits = config.poolResourceLimits;

  beforeAll(() => {
    caller = new Caller({ name: 'bad-thread-input' });
  });

  afterEach(() => {
    config.poolResourceLimits = savedLimits;
  });

  afterAll(async () => {
    caller.stop({ force: true });
    await caller.stopped;
  });

  it.each(CASES)('$name', async (row) => {
    await expectBadInputOutcome(row, row.kind);
  });
});
