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
  '__tests__/unit/access/apply.test.ts',
  '__tests__/unit/access/plan.test.ts',
  '__tests__/unit/access/retire.test.ts',
  '__tests__/unit/action/github-api.test.ts',
  '__tests__/unit/action/input-parsers.property.test.ts',
  '__tests__/unit/action/input-parsers.test.ts',
  '__tests__/unit/api-shield/plan.test.ts',
  '__tests__/unit/api-shield/section.test.ts',
  '__tests__/unit/api-shield/settings.test.ts',
  '__tests__/unit/api-shield/zone.test.ts',
  '__tests__/unit/architecture.test.ts',
  '__tests__/unit/audit/consumers.test.ts',
  '__tests__/unit/audit/expiry-report.test.ts',
  '__tests__/unit/audit/issue-text.test.ts',
  '__tests__/unit/audit/name-pattern.test.ts',
  '__tests__/unit/audit/report.test.ts',
  '__tests__/unit/audit/stores.test.ts',
  '__tests__/unit/audit/summary.test.ts',
  '__tests__/unit/certificate/facts.test.ts',
  '__tests__/unit/certificate/fields.test.ts',
  '__tests__/unit/certificate/fingerprints.test.ts',
  '__tests__/unit/certificate/pem-file.test.ts',
  '__tests__/unit/certificate/pem.property.test.ts',
  '__tests__/unit/certificate/pem.test.ts',
  '__tests__/unit/certificate/private-key.test.ts',
  '__tests__/unit/certificate/rules.test.ts',
  '__tests__/unit/certificate/spec.test.ts',
  '__tests__/unit/cloudflare/access/answers.test.ts',
  '__tests__/unit/cloudflare/access/client.test.ts',
  '__tests__/unit/cloudflare/dependencies.test.ts',
  '__tests__/unit/cloudflare/endpoints.test.ts',
  '__tests__/unit/cloudflare/envelope.test.ts',
  '__tests__/unit/cloudflare/errors.test.ts',
  '__tests__/unit/cloudflare/hyperdrive/configs.test.ts',
  '__tests__/unit/cloudflare/mtls/answers.property.test.ts',
  '__tests__/unit/cloudflare/mtls/association-pages.test.ts',
  '__tests__/unit/cloudflare/mtls/client.test.ts',
  '__tests__/unit/cloudflare/origin-pull/answers.test.ts',
  '__tests__/unit/cloudflare/origin-pull/hostnames.test.ts',
  '__tests__/unit/cloudflare/origin-pull/key-safe.test.ts',
  '__tests__/unit/cloudflare/origin-pull/zone.test.ts',
  '__tests__/unit/cloudflare/pages/projects.test.ts',
  '__tests__/unit/cloudflare/retry.test.ts',
  '__tests__/unit/cloudflare/settings.test.ts',
  '__tests__/unit/cloudflare/transport-errors.test.ts',
  '__tests__/unit/cloudflare/transport.test.ts',
  '__tests__/unit/cloudflare/values.test.ts',
  '__tests__/unit/cloudflare/workers/answers.test.ts',
  '__tests__/unit/cloudflare/workers/bindings.test.ts',
  '__tests__/unit/cloudflare/workers/deployments.test.ts',
  '__tests__/unit/cloudflare/workers/dispatch.test.ts',
  '__tests__/unit/cloudflare/workers/list-info.test.ts',
  '__tests__/unit/cloudflare/workers/scripts.test.ts',
  '__tests__/unit/cloudflare/zones/hostnames.test.ts',
  '__tests__/unit/consumers/inventory.test.ts',
  '__tests__/unit/consumers/keep.test.ts',
  '__tests__/unit/consumers/readers.test.ts',
  '__tests__/unit/consumers/scope.test.ts',
  '__tests__/unit/consumers/worker-serving.test.ts',
  '__tests__/unit/core/concurrency.test.ts',
  '__tests__/unit/core/errors.test.ts',
  '__tests__/unit/core/html.test.ts',
  '__tests__/unit/core/report.test.ts',
  '__tests__/unit/core/text.test.ts',
  '__tests__/unit/core/workspace-path.test.ts',
  '__tests__/unit/github/pull-request.test.ts',
  '__tests__/unit/manifest/document.test.ts',
  '__tests__/unit/manifest/fields.test.ts',
  '__tests__/unit/manifest/inputs.test.ts',
  '__tests__/unit/manifest/targets.test.ts',
  '__tests__/unit/manifest/yaml-errors.test.ts',
  '__tests__/unit/origin-pull/apply.test.ts',
  '__tests__/unit/origin-pull/observe.test.ts',
  '__tests__/unit/origin-pull/plan.test.ts',
  '__tests__/unit/origin-pull/wait.test.ts',
  '__tests__/unit/pipeline/main-step.test.ts',
  '__tests__/unit/pipeline/post-step.test.ts',
  '__tests__/unit/pipeline/saved-steps.property.test.ts',
  '__tests__/unit/pipeline/step-outputs.test.ts',
  '__tests__/unit/plan/step.test.ts',
  '__tests__/unit/plan/target.test.ts',
  '__tests__/unit/render/comment-body.test.ts',
  '__tests__/unit/render/html.test.ts',
  '__tests__/unit/render/markdown.test.ts',
  '__tests__/unit/render/plan-table.test.ts',
  '__tests__/unit/render/summary.test.ts',
  '__tests__/unit/render/words.test.ts',
  '__tests__/unit/replace/plan.test.ts',
  '__tests__/unit/replace/policy.test.ts',
  '__tests__/unit/replace/replace-older.test.ts',
  '__tests__/unit/replace/workers.test.ts',
  '__tests__/unit/spec/api-settings.property.test.ts',
  '__tests__/unit/spec/api-settings.test.ts',
  '__tests__/unit/spec/input-rules.test.ts',
  '__tests__/unit/targets/access/report.test.ts',
  '__tests__/unit/targets/api-shield/data.test.ts',
  '__tests__/unit/targets/api-shield/index.test.ts',
  '__tests__/unit/targets/api-shield/report.test.ts',
  '__tests__/unit/targets/hyperdrive/data.test.ts',
  '__tests__/unit/targets/hyperdrive/report.test.ts',
  '__tests__/unit/targets/registry.test.ts',
  '__tests__/unit/targets/store/index.test.ts',
  '__tests__/unit/targets/store/place.test.ts',
  '__tests__/unit/targets/store/placement.test.ts',
  '__tests__/unit/targets/store/report.test.ts',
  '__tests__/unit/targets/store/retire-report.test.ts',
  '__tests__/unit/targets/workers/data.test.ts',
  '__tests__/unit/targets/workers/deploy-rows.test.ts',
  '__tests__/unit/targets/workers/report.test.ts',
  '__tests__/unit/targets/workers/saved.test.ts',
  '__tests__/unit/targets/workers/scope.test.ts',
  '__tests__/unit/wrangler/config.test.ts',
  '__tests__/unit/wrangler/document.test.ts',
  '__tests__/unit/wrangler/edits.test.ts',
  '__tests__/unit/wrangler/encoding.test.ts',
  '__tests__/unit/wrangler/json.test.ts',
  '__tests__/unit/wrangler/settings.test.ts',
  '__tests__/unit/wrangler/toml.test.ts',
  '__tests__/unit/wrangler/workers.test.ts',
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
 * Files whose time is mostly waiting (real time limits, origin pulls' waits for `active`, child processes such as tsx, git and wrangler), longest first,
 * start first, whatever their project, so that the CPU-bound files fill those waits; left to the
 * default order (project by project, larger files first), they started last and were the run's tail.
 */
const WAITING_FILES = [
  'origin-pull-store',
  'lifecycle',
  'proxy-tunnel-failures',
  'wrangler-examples',
  'local-action',
  'release',
  'audit',
  'network',
  'hostile-answers',
  'api-shield',
  'wrangler-deploys-the-new-id',
  'access-store',
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
