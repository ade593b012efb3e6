import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Files run in parallel, twice as many as there are cores: most of an end-to-end file's time is spent
 * waiting on the processes it starts (dist/index.js, git, the stand-in), and vitest's default (one file
 * per core, less one) ran one file at a time on the 2-core development machine. Every file uses its own
 * ports (0: any free one) and temporary folders, so files share nothing. VITEST_MAX_WORKERS overrides.
 */
const workers = Number(process.env.VITEST_MAX_WORKERS) || availableParallelism() * 2

/**
 * Unit test files that mock nothing, stub no environment and touch neither @actions/core nor the
 * registered secrets: pure functions over values, safe to run in a worker that ran other files.
 * A file that starts mocking moves out of this list (the isolated project takes it).
 */
const PURE_UNIT_TESTS = [
  '__tests__/unit/action/input-parsers.property.test.ts',
  '__tests__/unit/action/input-parsers.test.ts',
  '__tests__/unit/api-shield/plan.test.ts',
  '__tests__/unit/api-shield/section.test.ts',
  '__tests__/unit/architecture.test.ts',
  '__tests__/unit/audit/expiry-report.test.ts',
  '__tests__/unit/audit/name-pattern.test.ts',
  '__tests__/unit/audit/summary.test.ts',
  '__tests__/unit/certificate/facts.test.ts',
  '__tests__/unit/certificate/pem-file.test.ts',
  '__tests__/unit/certificate/pem.property.test.ts',
  '__tests__/unit/certificate/pem.test.ts',
  '__tests__/unit/certificate/private-key.test.ts',
  '__tests__/unit/certificate/spec.test.ts',
  '__tests__/unit/cloudflare/dependencies.test.ts',
  '__tests__/unit/cloudflare/endpoints.test.ts',
  '__tests__/unit/cloudflare/envelope.test.ts',
  '__tests__/unit/cloudflare/errors.test.ts',
  '__tests__/unit/cloudflare/settings.test.ts',
  '__tests__/unit/cloudflare/transport-errors.test.ts',
  '__tests__/unit/cloudflare/values.test.ts',
  '__tests__/unit/core/concurrency.test.ts',
  '__tests__/unit/core/errors.test.ts',
  '__tests__/unit/core/html.test.ts',
  '__tests__/unit/core/report.test.ts',
  '__tests__/unit/core/text.test.ts',
  '__tests__/unit/core/workspace-path.test.ts',
  '__tests__/unit/manifest/document.test.ts',
  '__tests__/unit/manifest/fields.test.ts',
  '__tests__/unit/manifest/inputs.test.ts',
  '__tests__/unit/manifest/targets.test.ts',
  '__tests__/unit/pipeline/step-outputs.test.ts',
  '__tests__/unit/plan/step.test.ts',
  '__tests__/unit/plan/target.test.ts',
  '__tests__/unit/render/html.test.ts',
  '__tests__/unit/render/plan-table.test.ts',
  '__tests__/unit/render/summary.test.ts',
  '__tests__/unit/render/words.test.ts',
  '__tests__/unit/replace/plan.test.ts',
  '__tests__/unit/replace/policy.test.ts',
  '__tests__/unit/replace/workers.test.ts',
  '__tests__/unit/targets/api-shield/data.test.ts',
  '__tests__/unit/targets/api-shield/report.test.ts',
  '__tests__/unit/targets/registry.test.ts',
  '__tests__/unit/targets/store/placement.test.ts',
  '__tests__/unit/targets/store/report.test.ts',
  '__tests__/unit/targets/store/retire-report.test.ts',
  '__tests__/unit/targets/workers/data.test.ts',
  '__tests__/unit/targets/workers/report.test.ts',
  '__tests__/unit/targets/workers/saved.test.ts',
  '__tests__/unit/targets/workers/scope.test.ts',
  '__tests__/unit/wrangler/config.test.ts',
  '__tests__/unit/wrangler/document.test.ts',
  '__tests__/unit/wrangler/edits.test.ts',
  '__tests__/unit/wrangler/json.test.ts',
  '__tests__/unit/wrangler/toml.test.ts',
  '__tests__/unit/wrangler/write.test.ts',
]

/** Isolated files that compare errors from Node's own modules with `instanceof` (see the projects below). */
const NEEDS_OWN_PROCESS = ['__tests__/unit/certificate/check.test.ts', '__tests__/unit/cloudflare/http.test.ts']

/** Files that start processes or read the repository, and change no global state of the test process. */
const SHARING_WORKERS = [
  ...PURE_UNIT_TESTS,
  '__tests__/e2e/**/*.test.ts',
  '__tests__/scripts/**/*.test.ts',
  '__tests__/repository/**/*.test.ts',
  '__tests__/test-kit/**/*.test.ts',
]

/**
 * Files whose time is mostly waiting (real time limits, child processes such as tsx, git and wrangler)
 * start first, whatever their project, so that the CPU-bound files fill those waits; left to the
 * default order (project by project, larger files first), they started last and were the run's tail.
 */
const WAITING_FILES = [
  'proxy-tunnel-failures',
  'lifecycle',
  'wrangler-examples',
  'local-action',
  'release',
  'audit',
  'network',
  'hostile-answers',
  'api-shield',
  'wrangler-deploys-the-new-id',
]

class WaitingFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): number => {
      const index = WAITING_FILES.findIndex((name) => spec.moduleId.endsWith(`/${name}.test.ts`))
      return index < 0 ? WAITING_FILES.length : index
    }
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: workers,
    reporters: ['default', './__tests__/support/closing-line-reporter.ts'],
    sequence: { sequencer: WaitingFilesFirst },
    projects: [
      {
        // Unit and in-process tests mock modules (vi.mock), stub the environment and run src/ in the
        // test process: each file gets a fresh context, as does a file in any folder not listed above.
        // A VM context per file starts faster than a process (about 6 s of CPU less for the suite).
        extends: true,
        test: {
          name: 'isolated',
          include: ['__tests__/**/*.test.ts'],
          exclude: [...SHARING_WORKERS, ...NEEDS_OWN_PROCESS],
          pool: 'vmThreads',
        },
      },
      {
        // Node's own errors (sockets, crypto) are made in the main context, so `instanceof` checks of
        // them fail inside a VM context: these files get a process each.
        extends: true,
        test: { name: 'isolated processes', include: NEEDS_OWN_PROCESS },
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
