/**
 * Glob patterns for certificate names, as the audit's `names` input takes them: `*` matches any run of
 * characters (none included), `?` exactly one (a code point), and `\` makes the next character literal. Matching walks
 * both texts once per restart at the last `*`, so it takes at most pattern × name steps, whatever the
 * pattern: a pattern turned into a regular expression can backtrack far longer (`*a*a*a*b`).
 */

type Token = { kind: 'any' } | { kind: 'one' } | { kind: 'literal'; character: string }

export interface NamePattern {
  /** As the user wrote it, for messages. */
  source: string
  tokens: readonly Token[]
}

export function parseNamePattern(source: string): NamePattern {
  const tokens: Token[] = []
  const characters = Array.from(source)
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] ?? ''
    if (character === '\\' && index + 1 < characters.length) {
      tokens.push({ kind: 'literal', character: characters[++index] ?? '' })
    } else if (character === '*') {
      // Runs of stars match what one star matches.
      if (tokens.at(-1)?.kind !== 'any') tokens.push({ kind: 'any' })
    } else {
      tokens.push(character === '?' ? { kind: 'one' } : { kind: 'literal', character })
    }
  }
  return { source, tokens }
}

/** Whether the whole name matches the pattern (case-sensitive, as Cloudflare keeps names). */
export function matchesPattern(pattern: NamePattern, name: string): boolean {
  const { tokens } = pattern
  const characters = Array.from(name)
  let t = 0
  let c = 0
  // The last `*` seen, and the character it was tried against: on a mismatch, it takes one more.
  let star = -1
  let starMatched = 0
  while (c < characters.length) {
    const token = tokens[t]
    if (token?.kind === 'any') {
      star = t++
      starMatched = c
    } else if (token && (token.kind === 'one' || token.character === characters[c])) {
      t++
      c++
    } else if (star >= 0) {
      t = star + 1
      c = ++starMatched
    } else {
      return false
    }
  }
  while (tokens[t]?.kind === 'any') t++
  return t === tokens.length
}

/** No patterns means every name. */
export const matchesAnyPattern = (patterns: readonly NamePattern[], name: string): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, name))
