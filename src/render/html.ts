import { escapeForSummary } from '../core/html.ts'
import type { Cell, Section } from '../core/report.ts'
import { cellText } from './words.ts'

/** Report sections as the job summary's HTML, every value escaped; sections of one key share one table. */

export const cellHtml = (cell: Cell): string =>
  typeof cell === 'object' && 'code' in cell
    ? `<code>${escapeForSummary(cell.code)}</code>`
    : escapeForSummary(cellText(cell))

const cellsHtml = (cells: readonly Cell[]): string => cells.map(cellHtml).join('')

export function sectionsHtml(sections: readonly Section[]): string[] {
  const merged: Section[] = []
  for (const section of sections) {
    const same = section.key === undefined ? undefined : merged.find((s) => s.key === section.key)
    if (!same) {
      merged.push({
        ...section,
        ...(section.table ? { table: { ...section.table, rows: [...section.table.rows] } } : {}),
      })
      continue
    }
    if (section.table)
      same.table = {
        columns: same.table?.columns ?? section.table.columns,
        rows: [...(same.table?.rows ?? []), ...section.table.rows],
      }
    if (section.paragraphs) same.paragraphs = [...(same.paragraphs ?? []), ...section.paragraphs]
  }
  return merged.flatMap(sectionHtml)
}

function sectionHtml(section: Section): string[] {
  const parts: string[] = []
  const heading = section.heading && `<h3>${cellsHtml(section.heading)}</h3>`
  if (section.table) {
    const head = `<tr>${section.table.columns.map((c) => `<th>${escapeForSummary(c)}</th>`).join('')}</tr>`
    const rows = section.table.rows.map(
      (row) => `<tr>${row.map((c) => `<td>${Array.isArray(c) ? cellsHtml(c) : cellHtml(c)}</td>`).join('')}</tr>`,
    )
    parts.push(`${heading ? `${heading}\n` : ''}<table>\n${[head, ...rows].join('\n')}\n</table>`)
  } else if (heading) parts.push(heading)
  for (const paragraph of section.paragraphs ?? []) parts.push(`<p>${cellsHtml(paragraph)}</p>`)
  return parts
}
