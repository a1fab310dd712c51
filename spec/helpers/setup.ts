/**
 * Runs before every test file. Errors that rxjs-caller reports (RxJS-style unhandled errors and
 * unobserved pending failures) are collected instead of being thrown from a timer — which can kill the
 * jest process — or logged after a test ended. A test that expects reports takes them with
 * `takeReports()`; any report left over fails the test that caused it.
 */
import { config as rxjsConfig } from 'rxjs';
import { config } from '../../lib/config';
import { drainReports, settleReports } from './reports';

rxjsConfig.onUnhandledError = (error) => drainReports.push({ kind: 'unhandled', error });
config.onUnobservedError = (error, pending) => drainReports.push({ kind: 'unobserved', error, pending });

afterEach(async () => {
  await settleReports();
  const left = drainReports.splice(0);
  if (left.length > 0) {
    const lines = left.map((r) => `${r.kind}: ${r.error instanceof Error ? `${r.error.name}: ${r.error.message}` : String(r.error)}`);
    throw new Error(`The test left ${left.length} reported error(s) nobody took with takeReports():\n${lines.join('\n')}`);
  }
});
