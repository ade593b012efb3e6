import { printable } from '../../core/text.ts'
import type { Cell, Report } from '../../core/report.ts'
import type { Step } from '../../plan/step.ts'
import type { BindingsData, BindingsDone } from './data.ts'
import { deployRows } from './deploy-rows.ts'

/** The bindings as the plan, the summary, the outputs and the log show them, planned or written. */
export function reportBindings(step: Step<BindingsData>, done: BindingsDone | undefined): Report {
  const edits = done?.edits ?? step.data.planned
  const written = done?.written ?? []
  const rows: Report['rows'] = []
  const table: Cell[][] = []
  const lines: Report['lines'] = step.data.unnamed.map((section) => ({
    level: 'info',
    parts: [
      `Wrangler ${section} binds the certificate but names no Worker (no name there): before replace deletes, the bindings of every Worker in the account are read, as with check-workers: true.`,
    ],
  }))
  for (const file of edits.files) {
    const verb = (form: 'past' | 'participle'): Cell => ({ verb: 'write', done: done !== undefined, form })
    for (const entry of file.entries) {
      const same = entry.oldId === entry.newId
      const where = `Wrangler '${printable(file.config)}' (${printable(entry.section)}, binding ${file.binding}): `
      lines.push({
        level: 'info',
        parts: same
          ? [`${where}certificate_id already holds it, ${entry.newId}.`]
          : [where, verb('past'), ` certificate_id ${printable(entry.oldId ?? '(none)')} → ${entry.newId}.`],
      })
      table.push([
        { code: file.config },
        entry.section,
        { code: file.binding },
        entry.oldId === undefined ? '(none)' : { code: entry.oldId },
        { code: entry.newId },
        same || !file.changed ? 'unchanged' : verb('participle'),
      ])
      if (!same) {
        rows.push({
          name: '',
          action: 'write-binding',
          config: file.config,
          section: entry.section,
          oldId: entry.oldId ?? '',
          newId: entry.newId,
        })
      }
    }
  }
  return {
    rows: [...rows, ...deployRows(step.data)],
    lines,
    outputs: { 'wrangler-configs': written },
    sections: [
      {
        heading: ['Wrangler configurations'],
        table: { columns: ['File', 'Section', 'Binding', 'Old id', 'New id', 'Status'], rows: table },
      },
    ],
  }
}
