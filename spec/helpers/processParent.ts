/**
 * A parent process for the ProcessCaller tests (run through tsx): starts a ProcessCaller, leaves a timer
 * running in its child (so only an exit on purpose ends it), prints the child's pid, then waits to be
 * killed. The child inherits this process's stdout, so the test sees that pipe end only once both have gone.
 */
// The package's schedulers entry, as an app imports it: it carries ProcessCaller, which `get({ process })` needs.
import { Caller } from '../../schedulers/index';

const child = Caller.current().get({ name: 'orphan-to-be', process: true });
void child
  .callSoon(() => {
    setInterval(() => {}, 1 << 30);
    return 'busy';
  })
  .then(() => process.stdout.write(`${child.pid}\n`));
