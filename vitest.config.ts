import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * Files run in parallel, twice as many as there are cores: most of an end-to-end file's time is spent
 * waiting on the processes it starts (dist/index.js, git, the stand-in), and vitest's default (one file
 * per core, less one) ran one file at a time on the 2-core development machine. Every file uses its own
 * ports (0: any free one) and temporary folders, so files share nothing. VITEST_MAX_WORKERS overrides.
 */
const workers = Number(process.env.VITEST_MAX_WORKERS) || availableParallelism() * 2

/** Files that start processes or read the repository, and change no global state of the test process. */
const SHARING_WORKERS = [
  '__tests__/e2e/**/*.test.ts',
  '__tests__/scripts/**/*.test.ts',
  '__tests__/repository/**/*.test.ts',
  '__tests__/test-kit/**/*.test.ts',
]

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: workers,
    reporters: ['default', './__tests__/support/closing-line-reporter.ts'],
    projects: [
      {
        // Unit and in-process tests mock modules (vi.mock), stub the environment and run src/ in the
        // test process: each file gets a fresh worker, as does a file in any folder not listed above.
        extends: true,
        test: { name: 'isolated', include: ['__tests__/**/*.test.ts'], exclude: SHARING_WORKERS },
      },
      {
        // A worker is reused from file to file, saving the start of one per file (about half a second
        // each on 2 cores).
        extends: true,
        test: { name: 'sharing workers', include: SHARING_WORKERS, isolate: false },
      },
    ],
  },
})
