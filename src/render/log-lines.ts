import { log } from '../action/log.ts'
import type { LogLine } from '../core/report.ts'
import { lineText } from './words.ts'

/** A report's lines, into the runner's log at their level. */
export function logLines(lines: readonly LogLine[]): void {
  for (const line of lines) log[line.level](lineText(line.parts))
}
