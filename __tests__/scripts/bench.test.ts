import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { SENSIBLE_MINIMUM_RUNS, benchOptions } from '../../scripts/bench-options.ts'

/** `npm run bench`'s options: the runs asked for are the runs made. The bench itself is not run here. */

describe('benchOptions', () => {
  it('defaults to 15 runs after 3 warm-up runs, without a warning', () => {
    expect(benchOptions([])).toEqual({ runs: 15, warmup: 3, warnings: [] })
  })

  it.each([10, 15, 40])('honours --runs %i', (runs) => {
    expect(benchOptions(['--runs', String(runs)])).toEqual({ runs, warmup: 3, warnings: [] })
  })

  it.each([1, 5, SENSIBLE_MINIMUM_RUNS - 1])(
    'honours --runs %i, below the sensible minimum, with a warning',
    (runs) => {
      const options = benchOptions(['--runs', String(runs), '--warmup', '0'])
      expect(options.runs).toBe(runs)
      expect(options.warmup).toBe(0)
      expect(options.warnings).toEqual([
        expect.stringMatching(new RegExp(`^only ${runs} runs? of each: medians from fewer than 10 are rough`)),
      ])
    },
  )

  it.each([
    ['--runs', '0'],
    ['--runs', 'ten'],
    ['--runs', '2.5'],
    ['--warmup', '-1'],
    ['--runs', ''],
  ])('refuses %s %j', (flag, value) => {
    expect(() => benchOptions([`${flag}=${value}`])).toThrow(`${flag} must be a whole number`)
  })

  it('refuses an unknown option', () => {
    expect(() => benchOptions(['--rounds', '3'])).toThrow(/--rounds/)
  })
})

describe('npm run bench', () => {
  it('exits 2 with the usage on a bad option, before building or measuring anything', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), '--runs', 'many'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("bench: --runs must be a whole number, at least 1, not 'many'")
    expect(run.stderr).toContain('usage: npm run bench')
    expect(run.stdout).toBe('')
  })
})
