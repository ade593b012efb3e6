import { describe, expect, it } from 'vitest'
import { detachHostnames } from '../../../src/access/detach.ts'
import { ACCOUNT_ID } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, scriptedSend, success } from '../fakes.ts'

const OLD = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const owner = { accountId: ACCOUNT_ID }

describe('detachHostnames', () => {
  it('writes the list as read less what it takes off, lower case or not, and returns it', async () => {
    const send = scriptedSend(
      success({ id: OLD, associated_hostnames: ['App.example.com', 'other.example.com'] }),
      success({ id: OLD, associated_hostnames: ['other.example.com'] }),
    )
    const api = fakeApi(send, { maxRetries: 0 }).api
    expect(await detachHostnames(api, owner, OLD, ['app.example.com'], [])).toEqual(['other.example.com'])
    expect(JSON.parse(send.requests[1]?.body ?? '')).toEqual({ associated_hostnames: ['other.example.com'] })
  })

  it('keeps the planned list when the read gives none, and writes nothing to a CA gone since', async () => {
    const send = scriptedSend(
      success({ id: OLD }),
      success({ id: OLD, associated_hostnames: ['other.example.com'] }),
      failure(404, [{ code: 1404, message: 'not found' }]),
    )
    const api = fakeApi(send, { maxRetries: 0 }).api
    expect(await detachHostnames(api, owner, OLD, ['app.example.com'], ['other.example.com'])).toEqual([
      'other.example.com',
    ])
    expect(await detachHostnames(api, owner, OLD, ['b.example.com'], [])).toEqual([])
    expect(send.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET'])
  })

  it('remembers what it took off per run: another run (another client) starts afresh', async () => {
    const answers = () =>
      scriptedSend(
        success({ id: OLD, associated_hostnames: ['a.example.com', 'b.example.com'] }),
        success({ id: OLD, associated_hostnames: [] }),
      )
    const first = answers()
    await detachHostnames(fakeApi(first, { maxRetries: 0 }).api, owner, OLD, ['a.example.com'], [])
    const second = answers()
    await detachHostnames(fakeApi(second, { maxRetries: 0 }).api, owner, OLD, ['b.example.com'], [])
    expect(JSON.parse(second.requests[1]?.body ?? '')).toEqual({ associated_hostnames: ['a.example.com'] })
  })

  it('lets the next write go on after one that failed', async () => {
    const send = scriptedSend(
      failure(403, [{ code: 10000, message: 'Authentication error' }]),
      success({ id: OLD, associated_hostnames: ['a.example.com'] }),
      success({ id: OLD, associated_hostnames: [] }),
    )
    const api = fakeApi(send, { maxRetries: 0 }).api
    await expect(detachHostnames(api, owner, OLD, ['a.example.com'], [])).rejects.toThrow()
    expect(await detachHostnames(api, owner, OLD, ['a.example.com'], [])).toEqual([])
  })
})
