/** What every suite in bench/suites/ exports as its default. */
export interface Suite {
  /** Runs the suite, printing its figures; resolves to the process exit code. */
  run(context: SuiteContext): Promise<number>;
}

export interface SuiteContext {
  /** Arguments after the suite name (`npm run bench -- api --foo` → ['--foo']). */
  args: string[];
  /** Progress messages (stderr), so stdout carries only the figures. */
  progress(message: string): void;
}
