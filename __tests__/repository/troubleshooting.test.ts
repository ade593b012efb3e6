import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { readText } from './documents.ts'

/**
 * docs/troubleshooting.md must have an entry for every error and warning the action can print, so
 * that it cannot fall behind src/. The extraction is deliberately simple, and independent of how src/
 * is split into modules:
 *
 * 1. Every `.ts` file under src/ is scanned for a call whose first argument is a string or template
 *    literal: `new <Anything>Error(`, `throw <function>(` (an error made by a helper), `log.fail(`,
 *    `log.warning(`, `log.error(` and `warnings.push(` (warnings logged later). These are the messages a
 *    user meets: errors fail the step (or become the reason in a "Could not …" error), warnings are
 *    annotations. Info, notice and debug lines are not troubles. A message built wholly elsewhere (a
 *    variable as the argument) is not seen: its parts are found where they are written.
 * 2. Each template is reduced to its skeleton: every `${…}` becomes `…`, whitespace is collapsed.
 * 3. Its key is the start of the skeleton: up to and including the word in which the fixed text
 *    reaches 24 characters (the whole skeleton if shorter), without trailing punctuation. A key with
 *    fewer than 3 letters of fixed text says nothing and is skipped.
 * 4. The page must have a code span that starts like the key, where each `…` of the key stands for
 *    any text: the page quotes each message's start, with an example value or `…` for a variable part.
 */

const MESSAGE_CALL = /(?:\bnew \w*Error|\bthrow \w+|\blog\.(?:fail|warning|error)|\bwarnings\.push)\(\s*(?=['"`])/g
const KEY_LITERAL_CHARACTERS = 24

/** The string or template literal that starts at `start`: its skeleton, and where it ends. */
function readLiteral(source: string, start: number): { skeleton: string; end: number } {
  const quote = source[start]
  let skeleton = ''
  let index = start + 1
  while (index < source.length && source[index] !== quote) {
    const character = source[index] ?? ''
    if (character === '\\') {
      skeleton += source[index + 1] ?? ''
      index += 2
    } else if (quote === '`' && source.startsWith('${', index)) {
      skeleton += '…'
      index = skipExpression(source, index + 2)
    } else {
      skeleton += character
      index++
    }
  }
  return { skeleton, end: index + 1 }
}

/** The index after the `}` that closes an interpolation, past nested braces, strings and templates. */
function skipExpression(source: string, start: number): number {
  let depth = 1
  let index = start
  while (index < source.length && depth > 0) {
    const character = source[index] ?? ''
    if (character === "'" || character === '"' || character === '`') {
      index = readLiteral(source, index).end
      continue
    }
    if (character === '{') depth++
    if (character === '}') depth--
    index++
  }
  return index
}

function keyOf(skeleton: string): string {
  const text = skeleton.replace(/\s+/g, ' ').trim()
  let literal = 0
  let end = 0
  while (end < text.length && literal < KEY_LITERAL_CHARACTERS) {
    if (text[end] !== '…') literal++
    end++
  }
  while (end < text.length && text[end] !== ' ') end++
  return text.slice(0, end).replace(/[.,:;]+$/, '')
}

interface Message {
  key: string
  where: string
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

function messagesIn(path: string): Message[] {
  const source = readFileSync(path, 'utf8')
  return [...source.matchAll(MESSAGE_CALL)].map((match) => {
    const start = match.index + match[0].length
    const line = source.slice(0, start).split('\n').length
    return { key: keyOf(readLiteral(source, start).skeleton), where: `${relative(ROOT, path)}:${String(line)}` }
  })
}

const messages = sourceFiles(join(ROOT, 'src'))
  .flatMap(messagesIn)
  .filter((message) => (message.key.replace(/…/g, '').match(/[A-Za-z]/g) ?? []).length >= 3)

const page = readText('docs/troubleshooting.md')
const codeSpans = [...page.matchAll(/`([^`\n]+)`/g)].map((match) => (match[1] ?? '').replace(/\s+/g, ' '))

/** Whether a code span on the page starts like the key, each `…` of the key matching any text. */
function hasEntry(key: string): boolean {
  const pattern = new RegExp(
    `^${key
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?')}`,
  )
  return codeSpans.some((span) => pattern.test(span))
}

describe('docs/troubleshooting.md', () => {
  it('finds the messages in src/ (the extraction still works)', () => {
    expect(messages.length).toBeGreaterThan(40)
    expect(messages.map((message) => message.key)).toEqual(
      expect.arrayContaining(["Input 'account-id' is required", 'No Cloudflare credentials']),
    )
  })

  it('has an entry for every error and warning message in src/', () => {
    const missing = messages.filter((message) => !hasEntry(message.key))
    expect(missing.map((message) => `${message.where}: ${message.key}`)).toEqual([])
  })

  it('gives a fix in every entry, grouped by cause', () => {
    // The sections after the contents and "Reading a failed step": one per cause.
    const causes = page.split('\n## ').slice(2)
    expect(causes.length).toBeGreaterThanOrEqual(8)
    const entries = causes.flatMap((section) => section.split(/\n(?=- )/).slice(1))
    expect(entries.filter((entry) => !entry.includes('**Fix:**'))).toEqual([])
  })
})
