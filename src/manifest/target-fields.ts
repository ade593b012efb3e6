import type { Node } from 'yaml'
import type { TargetField } from '../certificate/fields.ts'
import type { StoreName } from '../certificate/spec.ts'
import { Problems, knownFields, listOf, valueOf } from './document.ts'

/** The fields targets declare for themselves (certificate/fields.ts TargetField), read from an entry. */

/** The fields the targets declare, each read, checked and held to its rule; by target name. */
export function readUses(
  targets: readonly TargetField[],
  fields: Partial<Record<string, { key: Node | null; value: Node | null }>>,
  certificate: { ca: boolean | undefined; hasKey: boolean; store: StoreName | undefined },
  path: string,
  problems: Problems,
): Record<string, Record<string, string>[]> {
  const uses: Record<string, Record<string, string>[]> = {}
  for (const target of targets) {
    const given = fields[target.key]
    if (!given) continue
    // A target's field puts the account store's certificate to use: the other stores' have no uses.
    const rule =
      certificate.store !== 'mtls' && certificate.store !== undefined
        ? `is not used with store: ${certificate.store}: only a certificate of the account's mTLS store (store: mtls) is put to use by ${target.key}. Remove it.`
        : target.rule?.(certificate)
    if (rule) problems.add(given.key, `${path}.${target.key}`, rule)
    const values = readTargetField(target, given, path, problems)
    if (values && !rule) uses[target.key] = values
  }
  return uses
}

/**
 * A field a target declares (certificate/fields.ts TargetField): a list of maps of strings, each item
 * read and checked by the target's own rule; the values, or undefined after a problem.
 */
export function readTargetField(
  target: TargetField,
  given: { key: Node | null; value: Node | null },
  path: string,
  problems: Problems,
): Record<string, string>[] | undefined {
  const field = `${path}.${target.key}`
  const items = listOf(given.value, 'configs', field, problems, given.value ?? given.key)
  if (!items) return undefined
  const values: Record<string, string>[] = []
  items.forEach((item, index) => {
    const itemPath = `${field}[${index}]`
    const fields = knownFields(item, target.items, target.required, itemPath, problems)
    if (!fields) return
    const value: Record<string, string> = {}
    for (const [name, entry] of Object.entries(fields)) {
      const text = entry && valueOf('string', entry.value, `${itemPath}.${name}`, problems, entry.value ?? entry.key)
      if (typeof text === 'string') value[name] = text
    }
    // A key not a string, or a required one missing, is a problem already: the item's check waits.
    if (Object.keys(value).length !== Object.keys(fields).length || target.required.some((key) => !(key in value)))
      return
    const problem = target.check?.(value)
    if (problem) problems.add(item, itemPath, problem)
    else if (values.some((other) => JSON.stringify(other) === JSON.stringify(value)))
      problems.add(item, itemPath, 'lists the same item a second time')
    else values.push(value)
  })
  return values.length === items.length ? values : undefined
}
