import { needsWrite, type AttachPlan, type HostnameAttachment } from '../../api-shield/plan.ts'
import { hostnamesSection } from '../../api-shield/section.ts'
import type { Step } from '../../plan/step.ts'
import type { Cell, Report } from '../../core/report.ts'
import type { AttachData } from './data.ts'

/** The CA's hostnames in the zone, planned (a dry run) or as Cloudflare holds them after the write. */
export function reportAttach(
  step: Step<AttachData>,
  done: HostnameAttachment | undefined,
  certificateId: string | undefined,
): Report {
  const { zoneId, hostnames: given } = step.data
  const plan: AttachPlan | undefined = done ?? step.data.planned
  const applied = done !== undefined && needsWrite(done)
  const lines: Report['lines'] = []
  const ca = certificateId ?? '(not uploaded yet)'
  if (plan && needsWrite(plan)) {
    const there = plan.alreadyThere.length > 0 ? ` (already there: ${plan.alreadyThere.join(', ')})` : ''
    const dry = done ? [] : ['Dry run: ']
    lines.push({
      level: 'info',
      parts: [
        ...dry,
        { verb: 'attach', done: applied, form: 'past' },
        ` ${plan.attached.join(', ')} in zone ${zoneId} to CA ${ca}${there}.`,
      ],
    })
  } else if (plan) {
    lines.push({
      level: 'info',
      parts: [`CA ${ca} already serves ${given.join(', ')} in zone ${zoneId}: nothing to attach.`],
    })
  }
  const attached = new Set(plan?.attached)
  const alreadyGiven = new Set(plan?.alreadyThere)
  const rows: Cell[][] = (plan?.after ?? []).map((hostname) => [
    { code: hostname },
    attached.has(hostname)
      ? { verb: 'attach', done: applied }
      : alreadyGiven.has(hostname)
        ? 'already there'
        : 'already there (not given to this step)',
    'this CA',
  ])
  return {
    rows:
      plan && plan.attached.length > 0
        ? [{ name: '', action: 'attach', ...(certificateId ? { id: certificateId } : {}), hostnames: plan.attached }]
        : [],
    lines,
    outputs: { hostnames: plan?.after ?? [] },
    sections: [
      {
        ...hostnamesSection(zoneId, rows),
        ...(done && step.data.retiresAtEnd !== undefined
          ? {
              paragraphs: [
                [
                  `At the end of the job, replace first detaches these hostnames from the older CAs named ${step.data.retiresAtEnd}; an older CA is deleted once it serves none and Cloudflare no longer reports it in use.`,
                ],
              ],
            }
          : {}),
      },
    ],
  }
}
