import { dirname, relative, sep } from 'node:path'
import { readTextFile, type FileSubject } from '../certificate/pem-file.ts'
import { pathInWorkspace } from '../core/workspace-path.ts'
import { listOf, pairsOf, parseManifestYaml, shown, valueOf } from './document.ts'
import { checkEntry, type ManifestEntry } from './entry.ts'
import { MANIFEST_FIELDS, MANIFEST_VERSION, REQUIRED_MANIFEST_FIELDS } from './fields.ts'
import type { ManifestContext } from './sources.ts'

export type { ManifestEntry } from './entry.ts'
export { ManifestError } from './document.ts'

/** What reading a manifest needs besides its path: see ManifestContext. */
export type ManifestOptions = Omit<ManifestContext, 'folder'>

/**
 * Reads the manifest at `path` (the `manifest` input: relative to the workspace, and inside it) and
 * checks every entry, reading its files and variables and checking its certificate and key as the
 * single-certificate inputs are. Every problem of every entry is reported at once, in one
 * ManifestError (an InputError) that names each one's file, line and field; nothing is sent then.
 */
export function readManifest(path: string, options: ManifestOptions): ManifestEntry[] {
  const subject: FileSubject = { label: "Input 'manifest'", relativeTo: 'the repository root', noun: 'manifest' }
  const fullPath = pathInWorkspace(subject, path, options.workspace)
  const text = readTextFile(subject, path, fullPath)
  const file = relative(options.workspace, fullPath).split(sep).join('/')
  return checkManifest(text, file, { ...options, folder: dirname(fullPath) })
}

/** The manifest's text checked; `file` is how problems name it, `context.folder` where its paths start. */
export function checkManifest(text: string, file: string, context: ManifestContext): ManifestEntry[] {
  const { root, problems } = parseManifestYaml(text, file)
  if (!root) {
    problems.throwIfAny()
    return []
  }
  const fields = new Map(pairsOf(root, '', problems).map(([name, key, value]) => [name, { key, value }]))
  for (const [name, { key }] of fields) {
    if (!Object.hasOwn(MANIFEST_FIELDS, name)) {
      problems.add(
        key,
        '',
        `unknown field '${shown(name)}' (the fields are: ${Object.keys(MANIFEST_FIELDS).join(', ')})`,
      )
    }
  }
  for (const name of REQUIRED_MANIFEST_FIELDS) if (!fields.has(name)) problems.add(root, name, 'is required')
  const version = fields.get('version')
  if (version) {
    const value = valueOf('integer', version.value, 'version', problems, version.value ?? version.key)
    if (value !== undefined && value !== MANIFEST_VERSION) {
      problems.add(
        version.value,
        'version',
        `must be ${MANIFEST_VERSION}, the only version this action reads; got ${value}`,
      )
    }
  }
  const list = fields.get('certificates')
  const entries: ManifestEntry[] = []
  const items = list && listOf(list.value, 'entries', 'certificates', problems, list.value ?? list.key)
  if (items?.length === 0) problems.add(list?.value, 'certificates', 'lists no certificate: give at least one entry')
  const seen = { names: new Map<string, number>(), bindings: new Map(), stores: new Map<string, number>() }
  items?.forEach((item, index) => {
    const entry = checkEntry(item, index, context, problems, seen)
    if (entry) entries.push(entry)
  })
  problems.throwIfAny()
  return entries
}
