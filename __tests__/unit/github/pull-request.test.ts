import { describe, expect, it } from 'vitest'
import { pullRequestOf } from '../../../src/github/pull-request.ts'

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
const payload = (head: Record<string, unknown>) => ({
  pull_request: { number: 3, head: { repo: { full_name: 'acme/c' }, ...head } },
  repository: { full_name: 'acme/c' },
})

describe('pullRequestOf', () => {
  it('gives the head commit from the payload (GITHUB_SHA is the merge commit)', () => {
    expect(pullRequestOf({ name: 'pull_request', payload: payload({ sha: SHA }) })).toEqual({
      number: 3,
      repository: 'acme/c',
      fork: false,
      headSha: SHA,
    })
  })

  it('leaves out a head SHA that is not a Git object name', () => {
    for (const sha of [undefined, 'main', `${SHA}\n`, 'ZZ'.repeat(20), 42])
      expect(pullRequestOf({ name: 'pull_request', payload: payload({ sha }) })).not.toHaveProperty('headSha')
    const sha256 = 'a'.repeat(64)
    expect(pullRequestOf({ name: 'pull_request_target', payload: payload({ sha: sha256 }) })?.headSha).toBe(sha256)
  })

  it('is undefined for another event', () => {
    expect(pullRequestOf({ name: 'push', payload: payload({ sha: SHA }) })).toBeUndefined()
  })
})
