import { describe, expect, it } from 'vitest'
import { isWorkerName, listWorkerScripts } from '../../../../src/cloudflare/workers/scripts.ts'
import { ACCOUNT_ID } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, fakeApi, operationError, scriptedSend, success } from '../../fakes.ts'

describe('isWorkerName', () => {
  it("takes letters, digits, '-' and '_', 1 to 255 of them", () => {
    expect(isWorkerName('payments-api_v2')).toBe(true)
    expect(isWorkerName('a'.repeat(255))).toBe(true)
    for (const name of ['', 'a'.repeat(256), 'a/b', '..', 'name?x=1', 'with space', 'é'])
      expect(isWorkerName(name)).toBe(false)
  })
})

describe('listWorkerScripts', () => {
  it("GETs the account's Workers and gives their names", async () => {
    const send = scriptedSend(success([{ id: 'payments' }, { id: 'edge-auth' }]))
    const { api } = fakeApi(send)
    expect(await listWorkerScripts(api)).toEqual(['payments', 'edge-auth'])
    expect(send.requests.map((request) => [request.method, request.url])).toEqual([
      ['GET', `${BASE_URL}/accounts/${ACCOUNT_ID}/workers/scripts`],
    ])
  })

  it('refuses a list that says more pages are left', async () => {
    const send = scriptedSend({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        success: true,
        errors: [],
        messages: [],
        result: [{ id: 'payments' }],
        result_info: { page: 1, total_pages: 2 },
      }),
    })
    const error = await operationError(listWorkerScripts(fakeApi(send, { maxRetries: 0 }).api))
    expect(error.message).toContain('Cloudflare listed 1 Workers as page 1 of 2, and the others cannot be asked for')
  })
})
