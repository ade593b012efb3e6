import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { leafMd5, leafSha256, sameLeaf } from '../../../src/certificate/fingerprints.ts'
import { makeClient } from '../../../test-kit/fixtures.ts'

describe('fingerprints by content', () => {
  const { client, ca } = makeClient()

  it('hashes the DER of the first certificate, whatever the PEM text looks like', () => {
    expect(leafSha256(client.pem)).toBe(createHash('sha256').update(client.der).digest('hex'))
    expect(leafMd5(client.pem)).toBe(createHash('md5').update(client.der).digest('hex'))
    // Re-encoded as Cloudflare might: other line breaks, the chain after it.
    const reencoded = `${client.pem.replace(/\n/g, '\r\n')}${ca.pem}`
    expect(sameLeaf(client.pem, reencoded)).toBe(true)
  })

  it('tells different certificates apart, and text that holds none from anything', () => {
    expect(sameLeaf(client.pem, ca.pem)).toBe(false)
    expect(leafSha256('not a certificate')).toBeUndefined()
    expect(sameLeaf('nothing', 'nothing')).toBe(false)
  })
})
