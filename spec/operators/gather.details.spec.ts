/**
 * gather() behaviours mutation testing showed no other test pinned (see CONTRIBUTING.md): once it has
 * stopped it lets go of every member, so a member settling later reaches nothing of it.
 */
import { config as rxjsConfig, from } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { gather } from '../../operators/gather.js';
import { takeReports } from '../helpers/reports.js';

describe('gather (details)', () => {
  const onStopped = rxjsConfig.onStoppedNotification;
  afterEach(() => {
    rxjsConfig.onStoppedNotification = onStopped;
  });

  it('should let go of its members when unsubscribed: a protected member failing later reaches nothing of it', async () => {
    const late = jest.fn();
    rxjsConfig.onStoppedNotification = late;
    const kept = new Pending<number>({ protect: true });
    const errors: unknown[] = [];
    from([kept])
      .pipe(gather())
      .subscribe({ error: (error: unknown) => errors.push(error) })
      .unsubscribe();
    expect(kept._listeners).toBeUndefined();
    kept.setException(new Error('later'));
    // RxJS reports a notification to a stopped subscriber from a timer.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(late).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
    // gather observed it while it waited: the failure is not reported as unobserved.
    expect(await takeReports()).toEqual([]);
  });
});
