import type { Cell, Report } from '../../core/report.ts'
import { NEW_CERTIFICATE_TEXT, type Step } from '../../plan/step.ts'
import type { HyperdriveData, HyperdriveDone } from './data.ts'

/** The Hyperdrive configs as the plan, the summary and the log show them, planned or set. */
export function reportHyperdrive(
  step: Step<HyperdriveData>,
  done: HyperdriveDone | undefined,
  certificateId: string | undefined,
): Report {
  const to = certificateId ?? NEW_CERTIFICATE_TEXT
  const { role } = step.data
  const configs = done
    ? done.map((c) => ({ name: c.name, was: c.was, moves: c.changed }))
    : step.data.configs.map((c) => ({ name: c.name, was: c.now, moves: c.now !== to }))
  const rows: Report['rows'] = []
  const lines: Report['lines'] = []
  const table: Cell[][] = []
  for (const config of configs) {
    const consumer = `Hyperdrive ${config.name} (${role === 'ca' ? 'CA' : 'client'})`
    const verb: Cell = { verb: 'attach', done: done !== undefined, form: 'past' }
    if (config.moves) {
      rows.push({ name: '', action: 'attach', id: to, consumer, oldId: config.was ?? '' })
      lines.push({ level: 'info', parts: [consumer, ': ', verb, ` ${to} (it used ${config.was ?? 'none'}).`] })
    }
    table.push([
      consumer,
      config.was ? { code: config.was } : '(none)',
      { code: to },
      config.moves ? { ...verb, form: 'participle' } : 'unchanged',
    ])
  }
  return {
    rows,
    lines,
    outputs: {},
    sections: [
      { heading: ['Hyperdrive configs'], table: { columns: ['Config', 'Was', 'Now', 'Status'], rows: table } },
    ],
  }
}
