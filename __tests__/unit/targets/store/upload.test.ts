import { beforeAll, describe, expect, it, vi } from 'vitest'
import { log } from '../../../../src/action/log.ts'
import { loadWranglerParsers } from '../../../../src/wrangler/parsers.ts'
import type { MtlsCertificate, UploadBody } from '../../../../src/cloudflare/mtls/answers.ts'
import { OperationError } from '../../../../src/core/errors.ts'
import { findByLeaf, rotationUploadTime, uploadOrAdopt, uploadTimeOf } from '../../../../src/targets/store/upload.ts'
import { makeClient } from '../../../../test-kit/fixtures.ts'
import { FakeAccount, fakeApi } from '../../fakes.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

function setup() {
  const account = new FakeAccount()
  const { api, clock, info } = fakeApi(account.send)
  const { ca, client, keyPem } = makeClient('ec')
  const body: UploadBody = {
    ca: false,
    name: 'payments-client',
    certificates: `${client.pem.trim()}\n${ca.pem.trim()}`,
    private_key: keyPem,
  }
  return { account, clock, info, api, body, fingerprint: client.x509.fingerprint256, ca, client }
}

/** The run started shortly before the fake account's upload times (2025-03-01T12:00:00Z). */
const RUN_START = Date.parse('2025-03-01T11:59:00Z')

describe('uploadOrAdopt', () => {
  it('uploads once when the account does not hold the certificate', async () => {
    const { account, api, body, fingerprint } = setup()
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(outcome.certificate).toEqual(account.stored[0])
    expect(account.calls()).toEqual(['POST'])
    expect(JSON.parse(account.requests[0]?.body ?? '')).toEqual(body)
  })

  it('adopts the certificate with the same leaf on a 1471 answer, and reports it as not created', async () => {
    const { account, api, body, fingerprint, ca, client } = setup()
    // Same name, other leaf: must not be taken for ours.
    account.store(makeClient('ec').client.pem, { name: 'payments-client' })
    // Our leaf, stored by an earlier run under another name.
    const existing = account.store(`${client.pem}${ca.pem}`, { name: 'older-upload' })
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: existing, created: false })
    expect(account.calls()).toEqual(['POST', 'GET'])
    expect(account.stored).toHaveLength(2)
  })

  it('after a connection reset that stored the upload, lists and adopts it without a second POST', async () => {
    const { account, api, body, fingerprint, clock, info } = setup()
    account.postFaults.push('reset-after-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(outcome.certificate.id).toBe(account.stored[0]?.id)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET'])
    expect(clock.sleeps).toEqual([250])
    expect(info).toEqual([
      'Attempt 1 of 4 to upload the certificate got network error (ECONNRESET: socket hang up); retrying in 0.3 s.',
    ])
  })

  it('uploads again when the list shows that the failed attempt stored nothing', async () => {
    const { account, api, body, fingerprint } = setup()
    account.postFaults.push('reset-before-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET', 'POST'])
  })

  it('looks before every later attempt, until the upload is found', async () => {
    const { account, api, body, fingerprint } = setup()
    // A 503 page (nothing stored), then a reset after the upload was stored.
    account.postFaults.push('html-503', 'reset-after-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET', 'POST', 'GET'])
  })

  it('reports a 1471 after its own lost upload as created', async () => {
    const { account, api, body, fingerprint } = setup()
    account.postFaults.push('reset-after-commit')
    account.staleLists = 1
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: account.stored[0], created: true })
    expect(account.stored).toHaveLength(1)
    // Stored, lost answer; a list that does not show it yet; a POST answered 1471; a list that does.
    expect(account.calls()).toEqual(['POST', 'GET', 'POST', 'GET'])
  })

  it('reports a certificate found after a failed attempt as not created when it predates the run', async () => {
    const { account, api, body, fingerprint, ca, client } = setup()
    const existing = account.store(`${client.pem}${ca.pem}`, { uploaded_on: '2025-01-10T08:00:00Z' })
    account.postFaults.push('html-503')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: existing, created: false })
    expect(account.calls()).toEqual(['POST', 'GET'])
  })

  it('reports a certificate found after a failed attempt as not created when its upload time cannot be read', async () => {
    const createdWith = async (uploaded_on: string | undefined): Promise<boolean> => {
      const { account, api, body, fingerprint, ca, client } = setup()
      const existing = account.store(`${client.pem}${ca.pem}`, {})
      if (uploaded_on === undefined) delete existing.uploaded_on
      else existing.uploaded_on = uploaded_on
      account.postFaults.push('html-503')
      return (await uploadOrAdopt(api, body, fingerprint, RUN_START)).created
    }
    // Uploaded during the run: taken as this run's lost upload.
    expect(await createdWith('2025-03-01T12:00:00Z')).toBe(true)
    for (const unreadable of [undefined, '', '1', 'soon', 5 as unknown as string]) {
      expect(await createdWith(unreadable)).toBe(false)
    }
  })

  it('fails for good on a 4xx other than 1471', async () => {
    const { account, api, body, fingerprint } = setup()
    const error = await uploadOrAdopt(api, { ...body, certificates: 'garbage' }, fingerprint, RUN_START).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(OperationError)
    expect((error as OperationError).message).toBe(
      'Could not upload the certificate: HTTP 400: [1400] Unable to parse certificate.',
    )
    expect(account.calls()).toEqual(['POST'])
  })
})

describe('findByLeaf', () => {
  it('compares by leaf certificate, not by name or chain order', async () => {
    const { account, api, fingerprint, client, ca } = setup()
    account.store(ca.pem, { ca: true, name: 'payments-client' })
    const ours = account.store(`${client.pem}${ca.pem}`, { name: 'renamed' })
    const listed = await api.listCertificates()
    expect(findByLeaf(listed, fingerprint)).toEqual(ours)
    expect(findByLeaf(listed, ca.x509.fingerprint256)).toEqual(account.stored[0])
    expect(findByLeaf(listed, makeClient('ec').client.x509.fingerprint256)).toBeUndefined()
  })
})

describe('uploadOrAdopt with a full CA quota', () => {
  const listing: [string, Partial<MtlsCertificate>][] = [
    ['b', { name: 'root', ca: true, uploaded_on: '2024-06-01T00:00:00Z' }],
    ['leaf', { name: 'root', ca: false, uploaded_on: '2020-01-01T00:00:00Z' }],
    ['unknown-time', { name: 'root', ca: true }],
    ['a', { name: 'root', ca: true, uploaded_on: '2023-06-01T00:00:00Z' }],
    ['other', { name: 'partner', ca: true, uploaded_on: '2022-01-01T00:00:00Z' }],
  ]

  /** The message uploadOrAdopt fails with when Cloudflare answers 1489 to a CA upload named `name`. */
  async function quotaMessage(name: string | undefined, options: { stored?: boolean; listable?: boolean } = {}) {
    const { account, api, body, fingerprint } = setup()
    for (const [id, extra] of options.stored === false ? [] : listing) {
      const stored = account.store(undefined, { id, ...extra })
      if (extra.uploaded_on === undefined) delete stored.uploaded_on
    }
    if (options.listable === false) account.refusedLists = 1
    account.postFaults.push('ca-quota-full')
    const { name: _, ...unnamed } = body
    const upload: UploadBody = { ...unnamed, ca: true, ...(name === undefined ? {} : { name }) }
    const error = await uploadOrAdopt(api, upload, fingerprint, RUN_START).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(OperationError)
    return (error as OperationError).message
  }

  it('says why replace cannot help, and names the same-name CA certificates, oldest first', async () => {
    const message = await quotaMessage('root')
    expect(message).toMatch(
      /^Could not upload the certificate: HTTP 400: \[1489\] CA certificate quota reached\. The account holds as many CA certificates as Cloudflare allows .* replace deletes older certificates only after the new one is uploaded, so it cannot make room/,
    )
    expect(message).toContain(
      "CA certificates named 'root', oldest first: a ('root', uploaded 2023-06-01T00:00:00Z), b ('root', uploaded 2024-06-01T00:00:00Z), unknown-time ('root', uploaded at an unknown time).",
    )
    expect(message).not.toContain('leaf')
  })

  it('lists every CA certificate when none has the name', async () => {
    expect(await quotaMessage('new-root')).toContain(
      "No CA certificate is named 'new-root'; the account's CA certificates, oldest first: other ('partner', uploaded 2022-01-01T00:00:00Z), a (",
    )
    expect(await quotaMessage(undefined, { stored: false })).toMatch(
      /The account's CA certificates, oldest first: none listed\.$/,
    )
  })

  it('still advises when the account could not be listed', async () => {
    expect(await quotaMessage('root', { listable: false })).toMatch(
      /then re-run\. \(The account's certificates could not be listed to suggest one\.\)$/,
    )
  })
})

describe('uploadTimeOf', () => {
  it("takes Cloudflare's answer when it gives a time, without another request", async () => {
    const { account, api } = setup()
    expect(await uploadTimeOf(api, { id: 'c', uploaded_on: '2025-03-01T12:00:00Z' })).toBe('2025-03-01T12:00:00Z')
    expect(account.calls()).toEqual([])
  })

  it("reads the listing's entry of the same id otherwise, and gives nothing when that has no time or fails", async () => {
    const { account, api } = setup()
    const listed = account.store(undefined, { uploaded_on: '2025-02-01T00:00:00Z' })
    const blank = account.store(undefined, { uploaded_on: 'soon' })
    expect(await uploadTimeOf(api, { id: listed.id })).toBe('2025-02-01T00:00:00Z')
    expect(await uploadTimeOf(api, { id: blank.id })).toBeUndefined()
    expect(await uploadTimeOf(api, { id: 'not-listed' })).toBeUndefined()
    account.refusedLists = 9
    expect(await uploadTimeOf(api, { id: listed.id })).toBeUndefined()
  })
})

describe('rotationUploadTime', () => {
  it('gives a time that reads as one, and otherwise nothing, warning that replace is skipped', () => {
    const warnings: string[] = []
    vi.spyOn(log, 'warning').mockImplementation((message) => {
      warnings.push(message)
    })
    expect(rotationUploadTime({ id: 'c' }, '2025-03-01T12:00:00Z')).toBe('2025-03-01T12:00:00Z')
    expect(warnings).toEqual([])
    expect(rotationUploadTime({ id: 'c' }, 'yesterday')).toBeUndefined()
    expect(rotationUploadTime({ id: 'c' }, undefined)).toBeUndefined()
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/^Replace is skipped: Cloudflare gives no readable upload time for c,/)
  })
})
