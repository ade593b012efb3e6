import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * Files run in parallel, more of them than there are cores: most of an end-to-end file's time is spent
 * waiting on the processes it starts (dist/index.js, git, the stand-in), and vitest's default (one file
 * per core, less one) ran one file at a time on the 2-core development machine. Every file uses its own
 * ports (0: any free one) and temporary folders, so files share nothing. VITEST_MAX_WORKERS overrides.
 */
const workers = Number(process.env.VITEST_MAX_WORKERS) || availableParallelism() + 1

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: workers,
    reporters: ['default', './__tests__/support/closing-line-reporter.ts'],
  },
})
