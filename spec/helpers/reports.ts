import type { Pending } from '../../lib/Pending';

export interface Report {
  kind: 'unhandled' | 'unobserved';
  error: unknown;
  pending?: Pending<unknown>;
}

/** Filled by the setup file's hooks; emptied by takeReports() or, failing the test, after it. */
export const drainReports: Report[] = [];

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Lets pending report timers (one macrotask) fire before reports are read. Two timers in a row: a report
 * timer is always set before the first one fires, so it is due before the second one even on a loaded
 * machine, where one timer alone could fire first.
 */
export async function settleReports(): Promise<void> {
  await macrotask();
  await macrotask();
}

/** Waits for pending reports, then returns and clears them. */
export async function takeReports(): Promise<Report[]> {
  await settleReports();
  return drainReports.splice(0);
}

/** Returns and clears the reports made so far, without waiting (for use inside TestScheduler.run()). */
export function takeReportsNow(): Report[] {
  return drainReports.splice(0);
}
