import { describe, expect, it } from 'vitest'
import { listEnd, readAllPages } from '../../../../src/cloudflare/workers/list-info.ts'

/** A list is whole only when its result_info says so, or says nothing. */

describe('listEnd', () => {
  it('is whole without markers or on the last page, and asks for the next page while pages are left', () => {
    expect(listEnd(undefined, 1, 3)).toEqual({ whole: true })
    expect(listEnd({ page: 2, total_pages: 2, total_count: 15, count: 5 }, 2, 15)).toEqual({ whole: true })
    expect(listEnd({ page: 1, total_pages: 3 }, 1, 10)).toEqual({ nextPage: 2 })
    expect(listEnd({ total_pages: null }, 1, 1)).toEqual({ whole: true })
  })

  it('is partial for a count above what came, and for a marker that is not a number', () => {
    expect(listEnd({ count: 2, total_count: 3 }, 1, 2)).toEqual({ partial: 'it counts 3 in all and 2 came' })
    expect(listEnd({ total_pages: '2' }, 1, 2)).toEqual({ partial: 'its page marker total_pages is "2", not a number' })
    expect(listEnd({ page: { next: 'x' } }, 1, 2)).toMatchObject({ partial: expect.stringContaining('page') })
  })
})

describe('readAllPages', () => {
  it('reads page after page until the list is whole', async () => {
    const pages = [
      { items: [1, 2], info: { page: 1, total_pages: 2, total_count: 3 } },
      { items: [3], info: { page: 2, total_pages: 2, total_count: 3 } },
    ]
    const asked: number[] = []
    const items = await readAllPages('numbers', (page) => {
      asked.push(page)
      return Promise.resolve(pages[page - 1] ?? { items: [], info: undefined })
    })
    expect(items).toEqual([1, 2, 3])
    expect(asked).toEqual([1, 2])
  })

  it('fails on a partial end, and past the page limit', async () => {
    await expect(
      readAllPages('numbers', () => Promise.resolve({ items: [1], info: { total_count: 2 } })),
    ).rejects.toThrow(/list of numbers may be partial \(it counts 2 in all and 1 came\)/)
    await expect(
      readAllPages('numbers', (page) => Promise.resolve({ items: [page], info: { total_pages: 99 } }), 3),
    ).rejects.toThrow(/more than 3 pages/)
  })
})
