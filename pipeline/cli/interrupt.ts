/** Exit codes after a signal, as shells report them: 128 + the signal's number. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * SIGINT/SIGTERM as an AbortSignal for one command: the first one asks the work to stop cleanly
 * (running scans killed, the store written), a second one exits at once. `dispose()` when done.
 */
export function listenForInterrupt() {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT[signal]);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    /** 130 after SIGINT, 143 after SIGTERM, undefined while no signal came. */
    exitCode: (): number | undefined =>
      controller.signal.aborted ? SIGNAL_EXIT[String(controller.signal.reason)] : undefined,
    dispose(): void {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
