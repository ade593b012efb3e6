import { associationsOf, type Association } from './answers.ts'
import type { Answer } from '../envelope.ts'
import { OperationError } from '../../core/errors.ts'
import { plural } from '../../core/text.ts'

/**
 * A certificate's associations over every page. Cloudflare answers them 20 a page with a
 * `result_info` (page, per_page, count, total_count, total_pages; the number of pages is
 * total_pages, or total_count over per_page); the OpenAPI documents no page parameter, so the later
 * pages are asked for with `?page=N`, Cloudflare's convention where a `result_info` tells of pages,
 * and an answer that is not the page asked for (the parameter ignored) ends the reading. Bounded: at most MAX_ASSOCIATION_PAGES, and none once the run's time
 * is spent; what was not read makes the listing partial, never "none".
 */

export const MAX_ASSOCIATION_PAGES = 50

export interface AssociationListing {
  associations: Association[]
  /** Set when pages were left unread: why, with "at least" the count read. */
  partial?: string
}

export async function readAssociationPages(
  readPage: (page: number) => Promise<Answer>,
  outOfTime: () => boolean,
  maxPages = MAX_ASSOCIATION_PAGES,
): Promise<AssociationListing> {
  const first = await readPage(1)
  const associations = [...associationsOf(first.result)]
  const totalPages = pageCount(first.resultInfo, associations.length)
  if (totalPages === undefined) {
    return {
      associations,
      partial: `at least ${plural(associations.length, 'association')}: the later pages not read, as Cloudflare counts more but gives neither total_pages nor per_page`,
    }
  }
  for (let page = 2; page <= totalPages; page++) {
    const left = (why: string): AssociationListing => ({
      associations,
      partial: `at least ${plural(associations.length, 'association')}: pages ${page} to ${totalPages} not read, as ${why}`,
    })
    if (page > maxPages) return left(`${maxPages} pages is the most read`)
    if (outOfTime()) return left('timeout-seconds ran out')
    const answer = await readPage(page)
    const read = associationsOf(answer.result)
    if (count(answer.resultInfo?.page) !== page)
      return left(`Cloudflare answered another page when asked for page ${page}`)
    associations.push(...read)
  }
  return { associations }
}

/** For replace: associations not all read say nothing of whether a service uses the certificate, so never "none". */
export function allAssociations(listing: AssociationListing, id: string): Association[] {
  if (!listing.partial) return listing.associations
  throw new OperationError(`Cloudflare lists ${listing.partial} for certificate ${id}, so it is treated as in use`)
}

/**
 * How many pages there are: `total_pages`, or else `total_count` over `per_page`; one when the answer
 * counts neither (no `result_info`: a list given whole). Undefined when it counts more associations
 * than page 1 holds but not the pages: then the rest cannot be asked for, and the listing is partial.
 */
function pageCount(info: Answer['resultInfo'], onFirstPage: number): number | undefined {
  const totalPages = count(info?.total_pages)
  if (totalPages !== undefined) return totalPages
  const totalCount = count(info?.total_count)
  const perPage = count(info?.per_page)
  if (totalCount === undefined) return 1
  if (perPage !== undefined && perPage > 0) return Math.ceil(totalCount / perPage)
  return totalCount <= onFirstPage ? 1 : undefined
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined
