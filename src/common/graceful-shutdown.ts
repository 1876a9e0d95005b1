import type { INestApplicationContext } from '@nestjs/common';

/**
 * On SIGTERM/SIGINT: close the app (HTTP stops accepting, the BullMQ worker finishes in-flight
 * jobs and takes no new ones), then exit 0. Nest's own shutdown hooks re-raise the signal, which
 * ends the process with no exit code; the contract asks for 0 within 30 s.
 */
export function shutdownGracefully(app: INestApplicationContext, limitMs = 30_000): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      process.stderr.write(`Shutdown after ${signal} took longer than ${limitMs} ms; exiting\n`);
      process.exit(1);
    }, limitMs - 1000).unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`Shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
