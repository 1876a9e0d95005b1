/**
 * Runs an entry point's bootstrap; a failure to start (a module that refuses its configuration,
 * say) ends the process with one line and exit code 1 instead of Nest's abort and stack trace.
 */
export function startOrExit(bootstrap: () => Promise<void>): void {
  bootstrap().catch((error: Error) => {
    process.stderr.write(`Start-up failed: ${error.message}\n`);
    process.exit(1);
  });
}
