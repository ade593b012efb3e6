import { ApiError } from '../errors.ts'

/**
 * What a list's `result_info` says about the rest of it. A list read as whole when it is not would
 * hide a consumer of a certificate, so anything but a clear "that was all" is reported: pages left,
 * a count above what came, or a page marker that is not a number.
 */

/** The end of a list: whole, another page to ask for, or partial (with why). */
export type ListEnd = { whole: true } | { nextPage: number } | { partial: string }

const MARKERS = ['page', 'per_page', 'count', 'total_count', 'total_pages'] as const

/**
 * After page `page` of a list, `seen` items read so far in all: whether it is whole. A marker that is
 * present but not a finite number makes it partial; null or absent markers say nothing.
 */
export function listEnd(info: Record<string, unknown> | undefined, page: number, seen: number): ListEnd {
  if (info === undefined) return { whole: true }
  for (const marker of MARKERS) {
    const value = info[marker]
    if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      return { partial: `its page marker ${marker} is ${JSON.stringify(value)}, not a number` }
    }
  }
  const totalPages = info.total_pages as number | undefined | null
  if (typeof totalPages === 'number' && totalPages > page) return { nextPage: page + 1 }
  const totalCount = info.total_count as number | undefined | null
  if (typeof totalCount === 'number' && totalCount > seen) {
    return { partial: `it counts ${totalCount} in all and ${seen} came` }
  }
  return { whole: true }
}

/** An answer of a shape this action does not read: an error, never "none". */
export const wrongShape = (message: string): ApiError =>
  new ApiError(message, 200, [], { retryable: false, outcomeUnknown: false })

/** The error for a list that may be partial: a consumer not seen may use the certificate. */
export const partialList = (what: string, why: string): ApiError =>
  wrongShape(`Cloudflare's list of ${what} may be partial (${why}), so what uses a certificate is unknown`)

/**
 * Every page of a list, read with `readPage` (page 1 first), until `result_info` says it is whole. A
 * page beyond what `maxPages` allows, or a partial end, is an error.
 */
export async function readAllPages<T>(
  what: string,
  readPage: (page: number) => Promise<{ items: T[]; info: Record<string, unknown> | undefined }>,
  maxPages = 1000,
): Promise<T[]> {
  const items: T[] = []
  for (let page = 1; ; page++) {
    const answer = await readPage(page)
    items.push(...answer.items)
    const end = listEnd(answer.info, page, items.length)
    if ('whole' in end) return items
    if ('partial' in end) throw partialList(what, end.partial)
    if (end.nextPage > maxPages) throw partialList(what, `more than ${maxPages} pages`)
  }
}
