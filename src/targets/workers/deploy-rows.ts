import type { PlanRow } from '../../core/report.ts'
import type { BindingsData } from './data.ts'

/**
 * The plan's rows for what the entry's Workers serve (read for a plan that is shown): the workflow's
 * deploy moves a Worker that serves another certificate (a change: drift); a Worker never deployed, or
 * a checkout whose id differs from what is deployed, is a note. The id in the checkout is never drift.
 */
export function deployRows(data: BindingsData): PlanRow[] {
  const target = data.planned.id
  const rows: PlanRow[] = []
  for (const section of data.sections) {
    const { worker, served, binding } = section
    if (!worker || !served) continue
    const base = { name: '', worker, binding, config: section.config, section: section.section }
    if (served.kind === 'absent') {
      rows.push({ ...base, action: 'note', reason: `Worker ${worker} is not deployed: nothing serves ${binding} yet` })
      continue
    }
    if (served.kind === 'unread') {
      const reason = `what it serves could not be read (${served.cause}): the token needs "Account → Workers Scripts → Read"`
      rows.push({ ...base, action: 'deploy', newId: target, reason })
      continue
    }
    const now = served.ids.map((s) =>
      served.ids.length > 1 ? `${s.certificateId} (${s.percentage} %)` : s.certificateId,
    )
    const inStep =
      served.ids.length > 0 && served.ids.every((s) => s.certificateId.toLowerCase() === target.toLowerCase())
    if (!inStep) {
      rows.push({
        ...base,
        action: 'deploy',
        oldId: now.join(', '),
        newId: target,
        reason: "the workflow's deploy moves it",
      })
      continue
    }
    const checkout = data.planned.files
      .find((file) => file.config === section.config)
      ?.entries.find((entry) => entry.section === section.section)?.oldId
    if (checkout !== target) {
      rows.push({
        ...base,
        action: 'note',
        reason: `Worker ${worker} serves ${target} already, while the checkout says ${checkout ?? 'nothing'}: commit the written file to keep local wrangler commands in step`,
      })
    }
  }
  return rows
}
