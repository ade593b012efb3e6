import { describe, expect, it } from 'vitest'
import { MAX_ROLLBACK_DEPLOYMENTS } from '../../../../src/consumers/scope.ts'
import { NO_OTHER_CONSUMERS } from '../../../../src/consumers/scope.ts'
import { savedGuard } from '../../../../src/targets/workers/saved.ts'

const NAMES = 'its Workers are not a list of Worker names'
const CONSUMERS = 'its consumers are not the Pages and Hyperdrive flags and a rollback depth'
const consumers = { pages: true, hyperdrive: false, rollbackDeployments: 2 }

describe('savedGuard', () => {
  it('reads back a guard as the main step saves it, through JSON', () => {
    for (const guard of [
      { scope: ['payments', 'payments-staging'], consumers },
      { scope: 'every', consumers: NO_OTHER_CONSUMERS },
      { scope: [], consumers: { pages: false, hyperdrive: true, rollbackDeployments: 0 } },
    ])
      expect(savedGuard(JSON.parse(JSON.stringify(guard)))).toEqual({ moved: [], ...guard })
  })

  it('refuses Workers that are not every or Worker names, and a guard that would read nothing', () => {
    for (const scope of ['some', ['bad name'], [''], [1], undefined, null])
      expect(savedGuard({ scope, consumers })).toBe(NAMES)
    expect(savedGuard({ scope: [], consumers: NO_OTHER_CONSUMERS })).toBe(NAMES)
    for (const saved of [null, [], 'every', 3]) expect(savedGuard(saved)).toBe(NAMES)
  })

  it('refuses consumers that are not exactly two flags and a whole depth within the limit', () => {
    for (const bad of [
      undefined,
      {},
      { ...consumers, extra: true },
      { ...consumers, pages: 'true' },
      { ...consumers, hyperdrive: 1 },
      { ...consumers, rollbackDeployments: -1 },
      { ...consumers, rollbackDeployments: 1.5 },
      { ...consumers, rollbackDeployments: MAX_ROLLBACK_DEPLOYMENTS + 1 },
      { ...consumers, rollbackDeployments: '2' },
    ])
      expect(savedGuard({ scope: 'every', consumers: bad })).toBe(CONSUMERS)
    expect(
      savedGuard({ scope: 'every', consumers: { ...consumers, rollbackDeployments: MAX_ROLLBACK_DEPLOYMENTS } }),
    ).not.toBeTypeOf('string')
  })
})
