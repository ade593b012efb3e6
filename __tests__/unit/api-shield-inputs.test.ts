import { setSecret } from '@actions/core'
import { describe, expect, it, vi } from 'vitest'
import { InputError } from '../../src/errors.ts'
import { getApiShieldSettings } from '../../src/hostnames.ts'
import type { InputSource } from '../../src/input-source.ts'
import { getSettings } from '../../src/settings.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID } from '../support/fixtures.ts'
import { clientChain, keyPem } from '../support/pki.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

/** zone-id and hostnames among the settings: together, only with a CA, checked before any request. */

const { ca, client } = clientChain('ec')
const CA_PEM = ca.pem
const LEAF = { certificate: client.pem, 'private-key': keyPem(client.key, 'pkcs8') }
const source = (inputs: Record<string, string>): InputSource => {
  const map: Record<string, string> = {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    certificate: CA_PEM,
    ca: 'true',
    ...inputs,
  }
  return { input: (name) => map[name] ?? '', env: {} }
}

function refusal(inputs: Record<string, string>): string {
  try {
    getSettings(source(inputs))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('the inputs were accepted')
}

describe('API Shield inputs', () => {
  it('are read together, normalised', () => {
    const settings = getSettings(
      source({ 'zone-id': ZONE_ID.toUpperCase(), hostnames: ' API.example.com, *.example.com ' }),
    )
    expect(settings.apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com', '*.example.com'] })
    expect(vi.mocked(setSecret)).toHaveBeenCalled()
  })

  it('are absent when neither is given', () => {
    expect(getSettings(source({})).apiShield).toBeUndefined()
  })

  it.each([
    [{ 'zone-id': ZONE_ID }, /^Input 'zone-id' needs 'hostnames'/],
    [{ hostnames: 'api.example.com' }, /^Input 'hostnames' needs 'zone-id'/],
    [
      { 'zone-id': ZONE_ID, hostnames: 'api.example.com', ca: 'false', ...LEAF },
      /^Input 'zone-id' is only for a CA certificate \(ca: true\)/,
    ],
    [{ 'zone-id': 'nope', hostnames: 'api.example.com' }, /^Input 'zone-id' must be 32 hexadecimal characters/],
    [
      { 'zone-id': ZONE_ID, hostnames: 'api.example.com:443' },
      /^Input 'hostnames': 'api\.example\.com:443' has a port/,
    ],
  ])('refuses %j', (inputs, message) => {
    expect(refusal(inputs)).toMatch(message)
  })

  it('are read again by the post step with the saved ca flag', () => {
    const post = source({ 'zone-id': ZONE_ID, hostnames: 'api.example.com' })
    expect(getApiShieldSettings(post, true)?.hostnames).toEqual(['api.example.com'])
    expect(() => getApiShieldSettings(post, false)).toThrow(InputError)
  })
})
