import { isRecord } from '../../core/record.ts'
import { isCertificateId, isCertificateName, parseTime } from '../../cloudflare/values.ts'

/**
 * The account store's retire step as the post step finds it saved: every field checked, since the
 * post step deletes what is older than it (an upload time that is not a time makes every certificate
 * "older"). That each guard is a use target's is checked by the pipeline (saved-steps.ts), and its
 * own fields by that target when the post step reads with them.
 */
export function savedRetireProblem(value: Readonly<Record<string, unknown>>): string | undefined {
  const data = value.data
  if (!isRecord(data) || !isRecord(data.rotation)) return 'it has no certificate to rotate to'
  const { id, name, ca, issuedAt, uploadedOn } = data.rotation
  if (!isCertificateId(id)) return 'its id is not a Cloudflare certificate id'
  if (typeof name !== 'string' || !name || !isCertificateName(name))
    return 'its name is not a single line of 1 to 200 characters'
  if (typeof ca !== 'boolean') return 'its ca flag is not true or false'
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return 'its issue time is not a number'
  if (typeof uploadedOn !== 'string' || parseTime(uploadedOn) === undefined)
    return 'its upload time is not an ISO 8601 time'
  if (!Array.isArray(data.guards)) return 'its guards are not targets of this action'
  return undefined
}
