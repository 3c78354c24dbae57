import type { Reporter, TestModule } from 'vitest/node';

/**
 * CI's reporter (MAESTRO_TEST_REQUIRE_ALL=1): a run where any test was skipped or left as a todo
 * fails, naming them, so that a suite cannot quietly stop running there.
 */
export default class NoSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const module of testModules)
      for (const test of module.children.allTests())
        if (test.result().state === 'skipped') skipped.push(`${module.moduleId}: ${test.fullName}`);
    if (skipped.length === 0) return;
    process.stderr.write(
      `MAESTRO_TEST_REQUIRE_ALL=1 allows no skipped test; ${skipped.length} were skipped:\n  ${skipped.join('\n  ')}\n`,
    );
    process.exitCode = 1;
  }
}
