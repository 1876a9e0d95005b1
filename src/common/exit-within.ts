/**
 * Nest's shutdown hooks drain on SIGTERM; this makes sure the process is gone within `ms`
 * even if something hangs (the contract promises exit within 30 s).
 */
export function exitWithin(ms: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`Shutdown took longer than ${ms} ms; exiting\n`);
        process.exit(1);
      }, ms - 1000).unref();
    });
  }
}
