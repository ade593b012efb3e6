import { capitalise } from '../core/text.ts'
import type { Cell, Verb } from '../core/report.ts'

/**
 * The one place a plan and a result are told apart in words: a planned verb reads `would attach`,
 * a done one `attached` (or `wrote`, `written`). Nothing outside render/ words a "would".
 */

const DONE: Record<Verb['verb'], { past: string; participle: string }> = {
  upload: { past: 'uploaded', participle: 'uploaded' },
  reuse: { past: 'reused', participle: 'reused' },
  attach: { past: 'attached', participle: 'attached' },
  detach: { past: 'detached', participle: 'detached' },
  write: { past: 'wrote', participle: 'written' },
  delete: { past: 'deleted', participle: 'deleted' },
}

export const conjugate = ({ verb, done, form = 'participle', rest = '' }: Verb): string =>
  `${done ? DONE[verb][form] : `would ${verb}`}${rest}`

/** A cell as plain text. */
export const cellText = (cell: Cell): string =>
  typeof cell === 'string' ? cell : 'code' in cell ? cell.code : conjugate(cell)

/** Cells as one line of plain text, its first letter capitalised. */
export const lineText = (cells: readonly Cell[]): string => capitalise(cells.map(cellText).join(''))

/** The headline of a single certificate's summary, from its placement and whether it was applied. */
export function headline(placement: 'upload' | 'reuse', applied: boolean, store?: string): string {
  // Another store than the account's is named: `Uploaded … (Access, account …)`.
  const where = store ? ` (${store})` : ''
  if (applied) {
    return placement === 'upload'
      ? `Uploaded a new mTLS certificate to Cloudflare${where}`
      : `The account already holds this mTLS certificate${where}: nothing uploaded`
  }
  return placement === 'upload'
    ? `Dry run: this certificate would be uploaded${where}`
    : `Dry run: the account already holds this certificate${where}; nothing would be uploaded`
}
