// Work in idle time, in slices that leave the page responsive.

/**
 * Call `step(i)` for i = 0, 1, … while `count()` says there is more, in idle slices (slices of
 * 8 ms between tasks where requestIdleCallback is missing: Safari). `count` is read each slice,
 * so a list that grows meanwhile is finished too.
 */
export function inIdleSlices(count: () => number, step: (index: number) => void): void {
  const idle =
    window.requestIdleCallback?.bind(window) ??
    ((work: IdleRequestCallback) =>
      setTimeout(() => {
        const end = performance.now() + 8;
        work({ didTimeout: false, timeRemaining: () => Math.max(0, end - performance.now()) });
      }, 1));
  let next = 0;
  const slice = (deadline: IdleDeadline) => {
    while (next < count() && deadline.timeRemaining() > 1) step(next++);
    if (next < count()) idle(slice);
  };
  idle(slice);
}
