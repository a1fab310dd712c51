// An app that imports the built package (ESM, by self-reference) and runs a TypeScript task module on
// threads. spec/schedulers/threads/typescriptTasks.spec.ts runs it under `node --import tsx` (as an app
// written in TypeScript runs: its workers inherit tsx) and under plain node (then a ThreadCaller is given
// tsx's CommonJS hook in `execArgv`). Prints one JSON line of outcomes.
import { Caller, threadModule } from 'rxjs-caller';

const tasks = threadModule(new URL('./esm-typescript/typescriptTask.ts', import.meta.url));
const caller = new Caller();
const outcome = async (pending) => {
  try {
    return { value: await pending };
  } catch (error) {
    return { error: error.message };
  }
};
const underTsx = process.execArgv.some((arg) => arg.includes('tsx'));
const thread = caller.get({ name: 'ts', thread: underTsx ? true : { execArgv: ['--require', 'tsx/cjs'] } });
const result = {
  pool: await outcome(caller.toThread(tasks.fib, 10)),
  thread: await outcome(thread.callSoon(tasks.fib, 11)),
};
await caller.stop();
console.log(JSON.stringify(result));
