import { printable } from '../core/text.ts'
import type { LoadedConfigs } from './config.ts'
import { isRecord } from '../core/record.ts'
import { sectionOf } from './document.ts'

/**
 * Which Workers the Wrangler files deploy, so that replace reads what those Workers serve before it
 * deletes (consumers/ reads them from Cloudflare).
 */

/** The Worker a section of a file deploys as: its own `name`, or `<name>-<env>` as wrangler names it. */
function deployedName(value: Record<string, unknown>, section: string): string | undefined {
  const top = typeof value.name === 'string' ? value.name : undefined
  if (section === 'top level') return top
  const env = section.slice('env.'.length)
  const settings = isRecord(value.env) ? value.env[env] : undefined
  const own = isRecord(settings) && typeof settings.name === 'string' ? settings.name : undefined
  return own ?? (top === undefined ? undefined : `${top}-${env}`)
}

/**
 * The Workers the files deploy: the top-level `name`, and each environment's `name` or, when it
 * has none, `<name>-<env>` as wrangler names it. Each once, in the files' order.
 */
export function workerNames(loaded: LoadedConfigs): string[] {
  const names = loaded.flatMap(({ document }) => {
    const value = isRecord(document.value) ? document.value : {}
    const envs = isRecord(value.env) ? Object.keys(value.env) : []
    return ['top level', ...envs.map((env) => `env.${env}`)].map((section) => deployedName(value, section))
  })
  return [...new Set(names.filter((name): name is string => name !== undefined))]
}

/**
 * The sections that bind the certificate but name no Worker (a file deployed with `wrangler deploy
 * --name`, say), as `'file' (section)`: which Worker presents it there cannot be told from the file.
 */
export function unnamedSections(loaded: LoadedConfigs): string[] {
  return loaded.flatMap(({ document, entries, target }) => {
    const value = isRecord(document.value) ? document.value : {}
    const sections = [...new Set(entries.map((entry) => sectionOf(entry.path)))]
    return sections
      .filter((section) => deployedName(value, section) === undefined)
      .map((section) => `'${printable(target.config)}' (${section})`)
  })
}

/** A section of a file that binds the certificate, with the Worker it deploys as (none when it names none). */
export interface BoundSection {
  config: string
  section: string
  binding: string
  worker?: string
}

/** Each section that binds the certificate, once, in the files' order. */
export function boundSections(loaded: LoadedConfigs): BoundSection[] {
  return loaded.flatMap(({ document, entries, target }) => {
    const value = isRecord(document.value) ? document.value : {}
    return [...new Set(entries.map((entry) => sectionOf(entry.path)))].map((section) => {
      const worker = deployedName(value, section)
      return { config: target.config, section, binding: target.binding, ...(worker === undefined ? {} : { worker }) }
    })
  })
}
