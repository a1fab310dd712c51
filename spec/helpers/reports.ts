import type { Pending } from '../../lib/Pending';

export interface Report {
  kind: 'unhandled' | 'unobserved';
  error: unknown;
  pending?: Pending<unknown>;
}

/** Filled by the setup file's hooks; emptied by takeReports() or, failing the test, after it. */
export const drainReports: Report[] = [];

/** Lets pending report timers (one macrotask) fire before reports are read. */
export function settleReports(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
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
