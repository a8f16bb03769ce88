/**
 * Things to undo when the bench ends, however it ends: normally, on an error, or on SIGINT/SIGTERM.
 * Each entry has an async form (used on an orderly shutdown) and a synchronous last resort (used in
 * the process 'exit' handler, where nothing asynchronous can run any more).
 */
interface CleanupEntry {
  label: string;
  run: () => Promise<void>;
  runSync: () => void;
}

const entries: CleanupEntry[] = [];
let installed = false;
let cleaning: Promise<void> | null = null;

/** Registers a cleanup; the returned function removes it again (after the caller did it itself). */
export function onCleanup(label: string, run: () => Promise<void>, runSync: () => void): () => void {
  installHandlers();
  const entry: CleanupEntry = { label, run, runSync };
  entries.push(entry);
  return () => {
    const index = entries.indexOf(entry);
    if (index >= 0) entries.splice(index, 1);
  };
}

/** Runs every registered cleanup, newest first. Safe to call more than once. */
export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    while (entries.length > 0) {
      const entry = entries.pop();
      if (!entry) break;
      try {
        await entry.run();
      } catch (error) {
        process.stderr.write(`bench: cleanup "${entry.label}" failed: ${describeError(error)}\n`);
        try {
          entry.runSync();
        } catch {
          // nothing more we can do
        }
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: ${signal} received, stopping the server and cleaning up…\n`);
    void runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', () => {
    // Last resort for paths that exit without awaiting runCleanups (e.g. process.exit elsewhere).
    for (const entry of entries.splice(0).reverse()) {
      try {
        entry.runSync();
      } catch {
        // ignore: the process is going away
      }
    }
  });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
