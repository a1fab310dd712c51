import { lastJson, runNode } from './helpers/runNode.js';

/**
 * Containment (DESIGN §7): errors thrown by user code that has no pending to carry them go to
 * `config.onUnobservedError(error, pending?)` — reported once, never a crash, the queue goes on — and a
 * cancellation is never an unhandled error. Each row runs in its own child Node process against the built
 * package (as a user runs it, with no test harness catching anything), which must exit 0.
 */

/** Shared by every row: `collect` is a sink recording [message, state of the pending or null]. */
const PRELUDE = `
const { Caller, Pending, config } = require('rxjs-caller');
const reports = [];
const collect = (error, pending) => reports.push([error instanceof Error ? error.message : String(error), pending === undefined ? null : pending.state]);
const finish = (read, ms = 40) => setTimeout(() => console.log(JSON.stringify(read())), ms);
`;

interface Row {
  name: string;
  script: string;
  /** What the script prints (its last line, as JSON). */
  expected: unknown;
  /** What must appear on stderr (the console fallback), if anything. */
  stderr?: RegExp[];
}

const ROWS: Row[] = [
  {
    name: 'defect 2: a callDirect function throws',
    script: `
config.onUnobservedError = collect;
const caller = new Caller();
caller.callDirect(() => { throw new Error('direct'); });
const after = caller.callSoon(() => 'after');
finish(() => ({ reports, after: after.state }));`,
    expected: { reports: [['direct', null]], after: 'fulfilled' },
  },
  {
    name: 'defect 2: queueCall functions throw and reject',
    script: `
config.onUnobservedError = collect;
const caller = new Caller();
const ran = [];
const sync = (x) => { ran.push(x); if (x === 'throw') throw new Error('queued throw'); };
const later = async (x) => { ran.push(x); if (x === 'reject') throw new Error('queued reject'); };
caller.queueCall(sync, 'throw');
caller.queueCall(sync, 'after throw');
caller.queueCall(later, 'reject');
caller.queueCall(later, 'after reject');
finish(() => { caller.stop(); return { reports: reports.sort(), ran: ran.sort() }; });`,
    expected: { reports: [['queued reject', null], ['queued throw', null]], ran: ['after reject', 'after throw', 'reject', 'throw'] },
  },
  {
    name: 'defect 2: done callbacks throw',
    script: `
config.onUnobservedError = collect;
const ran = [];
const p = new Pending();
p.addDoneCallback(() => { throw new Error('callback'); });
p.addDoneCallback(() => ran.push('second'));
p.setResult(1);
const caller = new Caller();
caller.callSoon(() => 2).addDoneCallback(() => { throw new Error('call callback'); });
const after = caller.callSoon(() => 3);
finish(() => ({ reports, ran, after: after.state }));`,
    expected: { reports: [['callback', 'fulfilled'], ['call callback', 'fulfilled']], ran: ['second'], after: 'fulfilled' },
  },
  {
    name: 'defect 2: cancellers throw',
    script: `
config.onUnobservedError = collect;
const p = new Pending();
p.setCanceller(() => { throw new Error('canceller'); });
p.cancel('stop');
const caller = new Caller();
const inner = new Pending();
inner.setCanceller(() => { throw new Error('inner canceller'); });
const outer = caller.callSoon(() => inner);
setTimeout(() => outer.cancel('cancel the call'), 5);
const after = caller.callLater(10, () => 'after');
finish(() => ({ reports, p: p.state, inner: inner.state, outer: outer.state, after: after.state }));`,
    expected: {
      reports: [
        ['canceller', 'cancelling'],
        ['inner canceller', 'cancelling'],
      ],
      p: 'cancelled',
      inner: 'cancelled',
      outer: 'cancelled',
      after: 'fulfilled',
    },
  },
  {
    name: 'defect 2: config.onUnobservedError itself throws (console fallback, once per error)',
    script: `
config.onUnobservedError = () => { throw new Error('sink broke'); };
const caller = new Caller();
caller.callDirect(() => { throw new Error('direct'); });
new Pending().setException(new Error('lost'));
const after = caller.callSoon(() => 'after');
finish(() => ({ after: after.state }));`,
    expected: { after: 'fulfilled' },
    stderr: [/config\.onUnobservedError threw[\s\S]*sink broke[\s\S]*direct/, /config\.onUnobservedError threw[\s\S]*sink broke[\s\S]*lost/],
  },
  {
    name: 'defect 2: the default sink (the console) for both kinds of report',
    script: `
const caller = new Caller();
caller.callDirect(() => { throw new Error('direct'); });
new Pending().setException(new Error('lost'));
const after = caller.callSoon(() => 'after');
finish(() => ({ after: after.state }));`,
    expected: { after: 'fulfilled' },
    stderr: [/nobody could catch it[\s\S]*direct/, /nobody observed it[\s\S]*lost/],
  },
  {
    name: "defect 3: the README's callLater(100, f).subscribe(v => …) then caller.stop()",
    script: `
config.onUnobservedError = collect;
const caller = new Caller();
const seen = [];
caller.callLater(100, () => 1).subscribe((v) => seen.push(v));
caller.stop();
finish(() => ({ seen, reports, state: caller.state }));`,
    expected: { seen: [], reports: [], state: 'stopped' },
  },
  {
    name: 'defect 3: every next-only subscriber form, of a bare Pending and of a call',
    script: `
config.onUnobservedError = collect;
const p1 = new Pending(); p1.subscribe({ next: () => {} }); p1.cancel('a');
const p2 = new Pending(); p2.subscribe(); p2.cancel('b');
const p3 = new Pending(); p3.subscribe(null, null, () => {}); p3.cancel('c');
const p4 = new Pending(); p4.cancel('d'); p4.subscribe((v) => {});
const caller = new Caller();
const call = caller.callSoon(() => 1); call.subscribe((v) => {}); call.cancel();
finish(() => ({ states: [p1.state, p2.state, p3.state, p4.state, call.state], reports }));`,
    expected: { states: ['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'], reports: [] },
  },
  {
    name: 'defect 3: subscribers with an error handler still receive PendingCancelled',
    script: `
const got = [];
const p = new Pending();
p.subscribe({ error: (e) => got.push('observer ' + e.name) });
p.subscribe(undefined, (e) => got.push('function ' + e.name));
p.cancel();
finish(() => ({ got }));`,
    expected: { got: ['observer PendingCancelled', 'function PendingCancelled'] },
  },
  {
    name: 'defect 1: a thenable whose then (or its getter) throws, on Caller.current()',
    script: `
const caller = Caller.current();
const outcome = [];
caller.callSoon(() => ({ then() { throw new Error('then threw'); } })).then(() => outcome.push('fulfilled'), (e) => outcome.push(e.message));
caller.callSoon(() => ({ get then() { throw new Error('getter threw'); } })).then(() => outcome.push('fulfilled'), (e) => outcome.push(e.message));
const after = caller.callSoon(() => 'after');
finish(() => ({ outcome: outcome.sort(), after: after.state }));`,
    expected: { outcome: ['getter threw', 'then threw'], after: 'fulfilled' },
  },
];

describe('containment (child processes against dist/)', () => {
  it.each(ROWS)('$name: exits 0', async ({ script, expected, stderr }) => {
    const run = await runNode(PRELUDE + script);
    expect({ code: run.code, stderr: stderr ? '(checked below)' : run.stderr }).toEqual({ code: 0, stderr: stderr ? '(checked below)' : '' });
    expect(lastJson(run)).toEqual(expected);
    for (const pattern of stderr ?? []) expect(run.stderr).toMatch(pattern);
  });
});
