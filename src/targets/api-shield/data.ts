import type { AttachPlan } from '../../api-shield/plan.ts'
import type { ApiShieldTarget } from '../../certificate/spec.ts'

/** An attach step's own data: the zone and hostnames given, and the plan a dry run read. */
export interface AttachData extends ApiShieldTarget {
  /** replace retires the older CAs of this name at the end of the job: the summary says how. */
  retiresAtEnd?: string
  /** The attach as planned from a read (a dry run); a real run plans it afresh when it writes. */
  planned?: AttachPlan
}
