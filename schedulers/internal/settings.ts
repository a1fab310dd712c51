import { expectCount, expectDuration } from '../../lib/internal/validate.js';

/**
 * The values behind `Caller`'s static settings. Each is checked when set (a bad setting fails where it is
 * written, with the same argument errors as the rest of the API); `Infinity` means never / no limit.
 */
let maxIdlePoolInstances = 10;
let idleWorkerShutdownDuration = 60_000;
let cancelGrace = 1000;

export const settings = {
  get maxIdlePoolInstances(): number {
    return maxIdlePoolInstances;
  },
  set maxIdlePoolInstances(value: number) {
    expectCount('Caller.MAX_IDLE_POOL_INSTANCES', value, 0);
    maxIdlePoolInstances = value;
  },
  get idleWorkerShutdownDuration(): number {
    return idleWorkerShutdownDuration;
  },
  set idleWorkerShutdownDuration(value: number) {
    expectDuration('Caller.IDLE_WORKER_SHUTDOWN_DURATION', value, true);
    idleWorkerShutdownDuration = value;
  },
  get cancelGrace(): number {
    return cancelGrace;
  },
  set cancelGrace(value: number) {
    expectDuration('Caller.CANCEL_GRACE', value, true);
    cancelGrace = value;
  },
};
