import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { planReplace, replaceInStep, scheduledCandidates } from '../../../src/replace/in-main-step.ts'
import { NOW, failure, fakeApi, scriptedSend, success } from '../fakes.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'
const at = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
const newest = { id: NEW, name: 'payments', ca: false, uploaded_on: at(NOW) }
const old = { id: OLD, name: 'payments', ca: false, uploaded_on: at(NOW - 60_000) }
const target = { id: NEW, name: 'payments', ca: false, issuedAt: NOW - 86_400_000, uploadedOn: at(NOW) }
const refused = () => failure(403, [{ code: 9999, message: 'Forbidden' }])
const paths = (send: ReturnType<typeof scriptedSend>) =>
  send.requests.map((request) => `${request.method} ${request.url.replace(/^.*\/mtls_certificates/, '')}`)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('planReplace', () => {
  it('plans the delete a real run would make, sending no write; at the end of the job, the older ones are candidates', async () => {
    const send = scriptedSend(success([]), success([]))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const now = await planReplace({ api }, [newest, old], target, false)
    expect(now).toEqual({ replacements: [expect.objectContaining({ id: OLD, action: 'delete' })], candidates: [] })
    const later = await planReplace({ api }, [newest, old], target, true)
    expect(later.candidates).toEqual([OLD])
    expect(paths(send)).toEqual([`GET /${OLD}/associations`, `GET /${OLD}/associations`])
  })

  it("plans a certificate only the job's own Workers use as retired after the deploy, judging the rest as a real run will", async () => {
    const workers = () =>
      Promise.resolve({
        consumers: [{ certificateId: OLD, description: 'Worker api (CERT, 100 %)', deployed: 'api\nCERT' }],
        unread: [],
      })
    const moved = new Set(['api\nCERT'])
    // Nothing else uses it: retired once the deploy moves the Worker.
    const free = fakeApi(scriptedSend(success([])), { maxRetries: 0 }).api
    const after = await planReplace({ api: free, workers, movedByDeploy: moved }, [newest, old], target, true)
    expect(after.replacements).toEqual([
      expect.objectContaining({
        id: OLD,
        action: 'delete',
        reason: 'retired once the deploy moves Worker api (CERT, 100 %)',
      }),
    ])
    // Another service uses it too: kept, as the post step will keep it.
    const gateway = success([{ service: 'gateway', status: 'active' }])
    const used = fakeApi(scriptedSend(gateway), { maxRetries: 0 }).api
    const kept = await planReplace({ api: used, workers, movedByDeploy: moved }, [newest, old], target, true)
    expect(kept.replacements).toEqual([expect.objectContaining({ id: OLD, action: 'kept' })])
  })

  it('keeps a certificate whose reads fail, with the reason', async () => {
    const { api } = fakeApi(scriptedSend(refused()), { maxRetries: 0 })
    const outcome = await planReplace({ api }, [newest, old], target, false)
    expect(outcome.replacements).toEqual([expect.objectContaining({ id: OLD, action: 'kept', warn: true })])
  })
})

describe('replaceInStep', () => {
  it('lists the account, then deletes the older certificate', async () => {
    const send = scriptedSend(success([newest, old]), success([]), success({ id: OLD }))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const outcome = await replaceInStep({ api }, target)
    expect(outcome).toEqual({ replacements: [expect.objectContaining({ id: OLD, action: 'deleted' })], candidates: [] })
    expect(paths(send)).toEqual(['GET ?type=custom', `GET /${OLD}/associations`, `DELETE /${OLD}`])
  })

  it('warns, and leaves everything, when the listing fails: the upload stands', async () => {
    const warning = vi.spyOn(log, 'warning').mockImplementation(() => undefined)
    const { api } = fakeApi(scriptedSend(refused()), { maxRetries: 0 })
    expect(await replaceInStep({ api }, target)).toEqual({ replacements: [], candidates: [] })
    expect(warning.mock.calls[0]?.[0]).toMatch(
      /^The certificate is in place, but replace could not finish: .*HTTP 403.*\. Older certificates named 'payments' are left as they were\.$/,
    )
  })
})

describe('scheduledCandidates', () => {
  it('names the older certificates the post step will consider, from the listing given', async () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined)
    const send = scriptedSend()
    const { api } = fakeApi(send)
    expect(await scheduledCandidates(api, target, [newest, old])).toEqual({ replacements: [], candidates: [OLD] })
    expect(send.requests).toEqual([])
    expect(info.mock.calls[0]?.[0]).toBe(
      `Replace is scheduled for the end of the job: once every other step has succeeded, the post step deletes the certificates named 'payments' uploaded before this one that no service uses then (now: ${OLD}).`,
    )
  })

  it('warns, and schedules none now, when the account cannot be listed', async () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined)
    const warning = vi.spyOn(log, 'warning').mockImplementation(() => undefined)
    const { api } = fakeApi(scriptedSend(refused()), { maxRetries: 0 })
    expect(await scheduledCandidates(api, target)).toEqual({ replacements: [], candidates: [] })
    expect(warning.mock.calls[0]?.[0]).toMatch(
      /^The certificate is in place, but replace could not list the candidates: /,
    )
    expect(info.mock.calls[0]?.[0]).toMatch(/ \(none now\)\.$/)
  })
})
