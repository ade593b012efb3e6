import { isDeepStrictEqual } from 'node:util'
import { OperationError } from '../core/errors.ts'
import { printable } from '../core/text.ts'
import { wranglerParsers } from './parsers.ts'
import { parseConfig, type LoadedConfig, type LoadedConfigs } from './config.ts'
import { isRecord } from '../core/record.ts'
import { sectionOf, type ConfigDocument, type ValuePath } from './document.ts'
import type { ConfigEncoding } from './encoding.ts'

/** Planning the edits (pure): the new text of each file, checked by reading it back as Wrangler would. */

/** One entry's change: where it is, and the id it had and gets. */
export interface EntryEdit {
  /** `top level` or `env.production`. */
  section: string
  /** Undefined when the entry had no certificate_id. */
  oldId?: string
  newId: string
}

/** One file's plan: `changed` false when it already holds the id in every entry (a re-run). */
export interface FileEdit extends ConfigEncoding {
  config: string
  fullPath: string
  binding: string
  entries: EntryEdit[]
  before: string
  after: string
  changed: boolean
}

export interface BindingEdits {
  id: string
  files: FileEdit[]
}

export function planBindingEdits(loaded: LoadedConfigs, id: string): BindingEdits {
  return { id, files: loaded.map((config) => planFile(config, id)) }
}

function planFile(config: LoadedConfig, id: string): FileEdit {
  const { target, text } = config
  const entries = config.entries.map((entry) => ({
    section: sectionOf(entry.path),
    ...(entry.certificateId === undefined ? {} : { oldId: entry.certificateId }),
    newId: id,
  }))
  const pending = config.entries.filter((entry) => entry.certificateId !== id)
  const after = wranglerParsers().applyEdits(
    text,
    pending.flatMap((entry) => entry.setId(id)),
  )
  checkReadBack(config, after, id)
  return {
    config: target.config,
    fullPath: config.fullPath,
    binding: target.binding,
    entries,
    before: text,
    after,
    bom: config.bom,
    encoding: config.encoding,
    changed: after !== text,
  }
}

/**
 * Reads the new text back as Wrangler will and fails unless it differs from the old in exactly the
 * ids: every entry with the binding holds the new one, and nothing else in the value has changed.
 */
function checkReadBack(config: LoadedConfig, after: string, id: string): void {
  const read = (text: string): ConfigDocument => parseConfig(config.target.config, text)
  const expected = read(config.text).value
  for (const entry of config.entries) setAt(expected, entry.path, id)
  let actual: unknown
  try {
    actual = read(after).value
  } catch {
    actual = undefined
  }
  if (!isDeepStrictEqual(actual, expected)) {
    throw new OperationError(
      `Writing certificate_id into '${printable(config.target.config)}' changes more than the ids of binding ${config.target.binding}: the file is left as it was. Please report this with the file's layout (without its secrets).`,
    )
  }
}

function setAt(value: unknown, path: ValuePath, id: string): void {
  let node: unknown = value
  for (const key of path)
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined
  if (isRecord(node)) node.certificate_id = id
}
