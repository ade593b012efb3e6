import type { Cell, Section } from '../core/report.ts'

/**
 * The job summary's table of a zone's API Shield hostnames: the new CA's (API Shield's attach) and
 * the older CAs' (replace's detach) share it, under one key.
 */
export function hostnamesSection(zoneId: string, rows: Cell[][]): Section {
  return {
    key: `api-shield:${zoneId}`,
    heading: ['API Shield hostnames in zone ', { code: zoneId }],
    table: { columns: ['Hostname', 'Status', 'CA'], rows },
  }
}
