/**
 * Node has no `requestAnimationFrame`, so a caller with the 'animationFrame' backend is refused there
 * outside `TestScheduler.run()`. Tests that make such a caller before entering `run()` (which virtualises
 * animation frames) stand in for a browser with this stub: a call to it means real time was used.
 */
export function installAnimationFrameHost(): () => void {
  const host = globalThis as { requestAnimationFrame?: unknown };
  if (typeof host.requestAnimationFrame === 'function') return () => undefined;
  host.requestAnimationFrame = () => {
    throw new Error('requestAnimationFrame stub: an animation frame was requested outside TestScheduler.run()');
  };
  return () => {
    delete host.requestAnimationFrame;
  };
}
