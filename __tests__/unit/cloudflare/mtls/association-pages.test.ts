import { describe, expect, it } from 'vitest'
import { MAX_ASSOCIATION_PAGES, allAssociations } from '../../../../src/cloudflare/mtls/association-pages.ts'
import type { HttpSend } from '../../../../src/cloudflare/http.ts'
import { CERTIFICATES_URL, FakeClock, fakeApi, json, scriptedSend, success } from '../../fakes.ts'

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6'
const URL = `${CERTIFICATES_URL}/${ID}/associations`

/** Page `page` of `total` associations, 20 a page, as Cloudflare answers them (less the `result_info` fields `left_out`). */
function page(page: number, total: number, answeredPage = page, leftOut: string[] = []) {
  const start = (page - 1) * 20
  const result = Array.from({ length: Math.max(0, Math.min(20, total - start)) }, (_, i) => ({
    service: `service-${start + i + 1}`,
    status: 'active',
  }))
  const info = {
    page: answeredPage,
    per_page: 20,
    count: result.length,
    total_count: total,
    total_pages: Math.ceil(total / 20),
  }
  for (const field of leftOut) Reflect.deleteProperty(info, field)
  return json(200, { success: true, errors: [], messages: [], result, result_info: info })
}

describe('CloudflareApi.associationListing', () => {
  it('reads every page, asking for the later ones by number', async () => {
    const send = scriptedSend(page(1, 45), page(2, 45), page(3, 45))
    const { api } = fakeApi(send)
    const listing = await api.associationListing(ID)
    expect(listing.partial).toBeUndefined()
    expect(listing.associations.map((a) => a.service)).toEqual(Array.from({ length: 45 }, (_, i) => `service-${i + 1}`))
    expect(send.requests.map((r) => r.url)).toEqual([URL, `${URL}?page=2`, `${URL}?page=3`])
    await expect(
      fakeApi(scriptedSend(page(1, 45), page(2, 45), page(3, 45))).api.listAssociations(ID),
    ).resolves.toHaveLength(45)
  })

  it('reads one request when the answer has no result_info, or one page', async () => {
    const send = scriptedSend(success([{ service: 'gateway' }]), page(1, 3))
    const { api } = fakeApi(send)
    expect((await api.associationListing(ID)).associations).toEqual([{ service: 'gateway' }])
    expect((await api.associationListing(ID)).associations).toHaveLength(3)
    expect(send.requests).toHaveLength(2)
  })

  it('counts the pages from total_count and per_page when the answer gives no total_pages', async () => {
    const withoutPages = (n: number, total: number) => page(n, total, n, ['total_pages'])
    const send = scriptedSend(withoutPages(1, 45), withoutPages(2, 45), withoutPages(3, 45))
    const listing = await fakeApi(send).api.associationListing(ID)
    expect(listing.partial).toBeUndefined()
    expect(listing.associations).toHaveLength(45)
    expect(send.requests.map((r) => r.url)).toEqual([URL, `${URL}?page=2`, `${URL}?page=3`])
    // One page that holds the whole count is the whole listing.
    expect((await fakeApi(scriptedSend(withoutPages(1, 3))).api.associationListing(ID)).partial).toBeUndefined()
  })

  it('fails closed when the answer counts more than page 1 holds but gives no way to count the pages', async () => {
    const uncounted = () => page(1, 45, 1, ['total_pages', 'per_page'])
    const send = scriptedSend(uncounted())
    const listing = await fakeApi(send).api.associationListing(ID)
    expect(send.requests).toHaveLength(1)
    expect(listing.associations).toHaveLength(20)
    expect(listing.partial).toMatch(/^at least 20 associations: the later pages not read/)
    await expect(fakeApi(scriptedSend(uncounted())).api.listAssociations(ID)).rejects.toThrow(/treated as in use/)
  })

  it(`stops after ${MAX_ASSOCIATION_PAGES} pages and says "at least"; replace refuses it as "none"`, async () => {
    const total = (MAX_ASSOCIATION_PAGES + 10) * 20
    const pages = Array.from({ length: MAX_ASSOCIATION_PAGES }, (_, i) => page(i + 1, total))
    const send = scriptedSend(...pages)
    const listing = await fakeApi(send).api.associationListing(ID)
    expect(send.requests).toHaveLength(MAX_ASSOCIATION_PAGES)
    expect(listing.associations).toHaveLength(MAX_ASSOCIATION_PAGES * 20)
    expect(listing.partial).toBe(
      `at least 1000 associations: pages ${MAX_ASSOCIATION_PAGES + 1} to ${MAX_ASSOCIATION_PAGES + 10} not read, as 50 pages is the most read`,
    )
    expect(() => allAssociations(listing, ID)).toThrow(`Cloudflare lists at least 1000 associations`)
    await expect(fakeApi(scriptedSend(...pages)).api.listAssociations(ID)).rejects.toThrow(/treated as in use/)
  })

  it('stops, partial, when Cloudflare answers page 1 again for page 2 (the parameter ignored)', async () => {
    const send = scriptedSend(page(1, 25), page(1, 25))
    const listing = await fakeApi(send).api.associationListing(ID)
    expect(listing.associations).toHaveLength(20)
    expect(listing.partial).toMatch(
      /^at least 20 associations: pages 2 to 2 not read, as Cloudflare answered another page/,
    )
  })

  it('reads no further page once timeout-seconds is spent', async () => {
    const script = scriptedSend(page(1, 25), page(2, 25))
    const held: { clock?: FakeClock } = {}
    // The first page takes the whole time limit to answer.
    const slow: HttpSend = async (request, signal) => {
      await held.clock?.sleep(2000)
      return script(request, signal)
    }
    const h = fakeApi(slow, { timeoutSeconds: 1 })
    held.clock = h.clock
    const listing = await h.api.associationListing(ID)
    expect(script.requests).toHaveLength(1)
    expect(listing.associations).toHaveLength(20)
    expect(listing.partial).toMatch(/pages 2 to 2 not read, as timeout-seconds ran out$/)
  })

  it('refuses a page that holds no list, as it would read as "none"', async () => {
    const send = scriptedSend(page(1, 25), success({ not: 'a list' }))
    await expect(fakeApi(send).api.associationListing(ID)).rejects.toThrow(/not a list of associations/)
  })
})
