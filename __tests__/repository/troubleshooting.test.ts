import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { readText } from './documents.ts'
import { HOLE, extractMessages, keyOf, saysSomething, type FoundMessage } from './messages.ts'

/**
 * docs/troubleshooting.md must have an entry for every error, warning and notice the steps can print,
 * so that it cannot fall behind src/:
 *
 * 1. messages.ts reads every message out of src/ with the TypeScript compiler, through constants,
 *    helper functions, message tables and conditionals, each as a skeleton with `…` for what is known
 *    only at run time (see there for what counts as printing).
 * 2. Its key is the start of the skeleton (messages.ts keyOf: its first 24 characters of fixed text,
 *    to the end of a word). A key with fewer than 3 letters of fixed text says nothing and is skipped.
 * 3. The page must have a code span that starts like the key, where each `…` of the key stands for
 *    any text: the page quotes each message's start, with an example value or `…` for a variable part.
 */

interface Message extends FoundMessage {
  key: string
}

/** Each key once, at the first place it is printed from. */
function keyed(found: readonly FoundMessage[]): Message[] {
  const byKey = new Map<string, Message>()
  for (const message of found) {
    const key = keyOf(message.skeleton)
    if (saysSomething(key) && !byKey.has(key)) byKey.set(key, { ...message, key })
  }
  return [...byKey.values()]
}

const messages = keyed(extractMessages(join(ROOT, 'src'), ROOT))

const page = readText('docs/troubleshooting.md')
const codeSpans = [...page.matchAll(/`([^`\n]+)`/g)].map((match) => (match[1] ?? '').replace(/\s+/g, ' '))

/** Whether a code span on the page starts like the key, each `…` of the key matching any text. */
function hasEntry(key: string): boolean {
  const pattern = new RegExp(
    `^${key
      .split(HOLE)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?')}`,
  )
  return codeSpans.some((span) => pattern.test(span))
}

/** What to tell whoever added a message without an entry: which message, from where, and how to add it. */
function missingReport(missing: readonly Message[]): string {
  const lines = missing.map(
    (message) =>
      `- ${message.where} (${message.sink}): no code span on the page starts like \`${message.key}\`\n` +
      `    whole message: ${message.skeleton}\n` +
      `    add under the ## section of its cause:  - \`${message.key}\` — <cause>. **Fix:** <what to do>.`,
  )
  return [
    `docs/troubleshooting.md has no entry for ${String(missing.length)} message(s) that src/ can print.`,
    `Quote the start of each (at least the key shown) in backticks, with an example value or … for each …:`,
    ...lines,
  ].join('\n')
}

/** A small src/ of the shapes messages take, to prove the extraction still reads each. */
const FIXTURE: Record<string, string> = {
  'core/errors.ts': `export class InputError extends Error {}\nexport class OperationError extends Error {}`,
  'core/text.ts': `export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)`,
  'a/advice.ts': `export function advice(path: string | undefined): string {
  const file = path ?? 'client.p12'
  return \`is a helper's advice about \${file}\`
}
export const TABLE = { one: 'Table entry one', nested: { two: \`Table entry two \${String(2)}\` } } as const`,
  'a/check.ts': `import { InputError, OperationError } from '../core/errors.ts'
import { capitalise } from '../core/text.ts'
import { advice, TABLE } from './advice.ts'
const MISSING = "Input 'x' is empty, set it from a constant"
const fail = (message: string): never => { throw new InputError(message) }
export function check(where: string, kind: 'one', flag: boolean, log: { warning(m: string): void }, warnings: string[]): void {
  if (flag) throw new InputError(MISSING)
  if (!flag) throw new InputError(\`\${capitalise(where)} \${advice(undefined)}.\`)
  throw new OperationError(flag ? 'First branch of a conditional' : \`Second branch \${where}\`)
  log.warning(TABLE[kind])
  warnings.push('Pushed to a list logged later')
  fail('A message given to a helper')
}`,
}

describe('the message extraction (messages.ts)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'messages-'))
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true })
  })
  for (const [path, text] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true })
    writeFileSync(join(directory, path), text)
  }
  const found = extractMessages(directory, directory)
  const skeletons = found.map((message) => message.skeleton)

  it('reads messages through constants, imported helpers, tables, conditionals and helper parameters', () => {
    expect(skeletons).toEqual(
      expect.arrayContaining([
        "Input 'x' is empty, set it from a constant",
        "… is a helper's advice about ….",
        'First branch of a conditional',
        'Second branch …',
        'Table entry one',
        'Table entry two …',
        'Pushed to a list logged later',
        'A message given to a helper',
      ]),
    )
    expect(found.find((message) => message.skeleton.startsWith('A message given'))).toMatchObject({
      where: 'a/check.ts:12',
      sink: 'new InputError via fail',
    })
  })

  it('finds the known messages of src/ built in constants and helpers', () => {
    expect(messages.length).toBeGreaterThan(100)
    expect(messages.map((message) => message.key)).toEqual(
      expect.arrayContaining([
        "Input 'account-id' is required",
        'No Cloudflare credentials',
        // A list of messages: the errors of certificate/rules.ts, each starting with the field's label.
        '… is set with ca: true: a',
        // A helper: pkcs12Advice in certificate/pem.ts, for both inputs.
        '… is a PKCS#12 file (.p12/.pfx)',
        // Branches of a conditional held in a const: `what` in certificate/private-key.ts.
        '… holds a certificate, not',
      ]),
    )
  })
})

describe('docs/troubleshooting.md', () => {
  it('has an entry for every error, warning and notice message in src/', () => {
    const missing = messages.filter((message) => !hasEntry(message.key))
    expect(
      missing.map((message) => `${message.where}: ${message.key}`),
      missingReport(missing),
    ).toEqual([])
  })

  it('gives a fix in every entry, grouped by cause', () => {
    // The sections after the contents and "Reading a failed step": one per cause.
    const causes = page.split('\n## ').slice(2)
    expect(causes.length).toBeGreaterThanOrEqual(8)
    const entries = causes.flatMap((section) => section.split(/\n(?=- )/).slice(1))
    expect(entries.filter((entry) => !entry.includes('**Fix:**'))).toEqual([])
  })
})
