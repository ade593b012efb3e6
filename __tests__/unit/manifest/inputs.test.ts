import { describe, expect, it } from 'vitest'
import type { InputSource } from '../../../src/action/input-source.ts'
import { PER_CERTIFICATE_INPUTS, manifestInput } from '../../../src/manifest/inputs.ts'
import { FORK_NO_SECRETS, forkWithoutSecrets, pullRequestOf, type RunEvent } from '../../../src/github/pull-request.ts'

const source = (inputs: Record<string, string>): InputSource => ({ input: (name) => inputs[name] ?? '', env: {} })

describe('manifestInput', () => {
  it('is empty without a manifest, whatever else is set', () => {
    expect(manifestInput(source({ ca: 'true', certificate: 'x' }))).toBe('')
  })

  it("gives the manifest's path when no per-certificate input is set (allow-missing-key at its default)", () => {
    expect(manifestInput(source({ manifest: ' deploy/manifest.yml ', 'allow-missing-key': 'false' }))).toBe(
      'deploy/manifest.yml',
    )
  })

  it('names every per-certificate input set with it', () => {
    expect(() => manifestInput(source({ manifest: 'm.yml', ca: 'true', name: 'x', binding: 'B' }))).toThrow(
      /^Input 'manifest' is set, and so are 'name', 'ca', 'binding': with a manifest/,
    )
    for (const name of PER_CERTIFICATE_INPUTS) {
      expect(() => manifestInput(source({ manifest: 'm.yml', [name]: 'true' }))).toThrow(`'${name}'`)
    }
  })
})

const pull = (name: string, head: string): RunEvent => ({
  name,
  payload: {
    pull_request: { number: 3, head: { repo: { full_name: head } } },
    repository: { full_name: 'acme/certs' },
  },
})

describe('fork runs', () => {
  it('tells a fork pull request from one of the repository', () => {
    expect(pullRequestOf(pull('pull_request', 'someone/certs'))).toEqual({
      number: 3,
      repository: 'acme/certs',
      fork: true,
    })
    expect(pullRequestOf(pull('pull_request', 'acme/certs'))?.fork).toBe(false)
    expect(pullRequestOf({ name: 'push', payload: {} })).toBeUndefined()
  })

  it('explains empty credentials on a fork pull_request, and only there', () => {
    expect(forkWithoutSecrets(pull('pull_request', 'someone/certs'), true)).toBe(FORK_NO_SECRETS)
    expect(FORK_NO_SECRETS).toMatch(/^pull requests from forks get no secrets/)
    expect(forkWithoutSecrets(pull('pull_request', 'someone/certs'), false)).toBeUndefined()
    expect(forkWithoutSecrets(pull('pull_request', 'acme/certs'), true)).toBeUndefined()
    expect(forkWithoutSecrets(pull('pull_request_target', 'someone/certs'), true)).toBeUndefined()
  })
})
