import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, actionYaml, auditYaml } from '../../test-kit/run-action.ts'

/** .env.example, the template of the .env file that `npm run local-action` reads. */
const text = readFileSync(join(ROOT, '.env.example'), 'utf8')
const lines = text.split('\n')
/** Variables set by the file. */
const active = new Map(
  lines.flatMap((line) => {
    const match = /^([A-Za-z_][\w-]*)=(.*)$/.exec(line)
    return match ? [[match[1] ?? '', match[2] ?? ''] as const] : []
  }),
)
/** Variables set or shown commented out (`# NAME=value`). */
const named = new Set(lines.flatMap((line) => /^(?:# ?)?([A-Z_][A-Z0-9_-]*)=/.exec(line)?.[1] ?? []))

/** As the runner spells an input: INPUT_ and the name in upper case, hyphens kept. */
const runnerName = (input: string): string => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`

/** The upload action's inputs and the audit action's: `npm run local-action:audit` reads the same file. */
const inputs = [...Object.keys(actionYaml.inputs), ...Object.keys(auditYaml.inputs)]

describe('.env.example', () => {
  it('points to the sections where they are now (Local debugging is in CONTRIBUTING.md)', () => {
    expect(text).not.toMatch(/the README, "Local debugging"/)
    expect(text).toContain('CONTRIBUTING.md, "Local debugging"')
  })

  it('names every input of action.yml and audit/action.yml as the runner spells it', () => {
    const missing = inputs.filter((input) => !named.has(runnerName(input)))
    expect(missing).toEqual([])
  })

  it('names no input that neither action declares', () => {
    const declared = new Set(inputs.map(runnerName))
    expect([...named].filter((name) => name.startsWith('INPUT_') && !declared.has(name))).toEqual([])
  })

  it('sets the job summary file and names the other variables the action reads', () => {
    expect(active.get('GITHUB_STEP_SUMMARY')).toBeTruthy()
    for (const name of [
      'GITHUB_WORKSPACE',
      'CLOUDFLARE_ACCOUNT_ID',
      'CLOUDFLARE_API_TOKEN',
      'CLOUDFLARE_EMAIL',
      'CLOUDFLARE_API_KEY',
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NO_PROXY',
      'GITHUB_REPOSITORY',
      'GITHUB_SHA',
      'GITHUB_RUN_ID',
      'GITHUB_SERVER_URL',
    ]) {
      expect(named, name).toContain(name)
    }
  })

  it('holds placeholders, not credentials or keys', () => {
    expect(active.get('INPUT_ACCOUNT-ID')).toMatch(/^[0-9a-f]{32}$/)
    expect(active.get('INPUT_API-TOKEN')).toMatch(/^replace-with-/)
    expect(text).not.toMatch(/-----BEGIN /)
    // No base64 body line of a PEM block.
    expect(text).not.toMatch(/^#? ?[A-Za-z0-9+/]{40,}={0,2}$/m)
  })

  it('targets the loopback stand-in unless edited, so a real token is not sent by accident', () => {
    expect(active.get('INPUT_API-BASE-URL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/)
  })

  it('is the template of a git-ignored .env that npm run local-action reads', () => {
    const gitignore = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')
    expect(gitignore).toContain('.env')
    expect(gitignore).toContain(active.get('GITHUB_STEP_SUMMARY'))
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    expect(packageJson.scripts['local-action']).toBe('local-action . src/main.ts .env')
    expect(packageJson.devDependencies['@github/local-action']).toBeTruthy()
    expect(packageJson.dependencies['@github/local-action']).toBeUndefined()
  })
})
