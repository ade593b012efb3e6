import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Node, YAMLMap } from 'yaml'
import { registeredSecrets } from '../../../src/action/secrets.ts'
import { parseManifestYaml } from '../../../src/manifest/document.ts'
import {
  fieldLabel,
  readManifestPath,
  readVariable,
  workspacePath,
  type ManifestContext,
} from '../../../src/manifest/sources.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'

const setup = (yaml = 'key: x\n', env: Record<string, string> = {}, files: Record<string, string> = {}) => {
  const { root, problems } = parseManifestYaml(yaml, 'deploy/m.yml')
  const workspace = makeWorkspace(files)
  mkdirSync(join(workspace, 'deploy'), { recursive: true })
  const context: ManifestContext = {
    workspace,
    folder: join(workspace, 'deploy'),
    env,
    replace: false,
    now: new Date(),
    expiryWarningDays: 30,
  }
  const at = (root as YAMLMap).get('key', true) as Node
  return { problems, context, at }
}

describe('readVariable', () => {
  it('reads the variable and registers its value as a secret', () => {
    const { problems, context, at } = setup('key: x\n', { PAYMENTS_KEY: 'v4lue-of-the-key' })
    expect(readVariable('PAYMENTS_KEY', at, 'certificates[0].private-key-env', context, problems)).toBe(
      'v4lue-of-the-key',
    )
    expect(registeredSecrets().has('v4lue-of-the-key')).toBe(true)
    expect(problems.list).toEqual([])
  })

  it('refuses an expression, a $-reference, and what is not a name, saying what to write', () => {
    const { problems, context, at } = setup()
    const field = 'certificates[0].private-key-env'
    readVariable('${{ secrets.payments_key }}', at, field, context, problems)
    readVariable('$PAYMENTS_KEY', at, field, context, problems)
    readVariable('payments-key', at, field, context, problems)
    expect(problems.list).toEqual([
      "deploy/m.yml:1: certificates[0].private-key-env: '${{ secrets.payments_key }}' is an expression, and expressions are not expanded in a manifest: the value must be the NAME of an environment variable that the step's env: sets. Write private-key-env: PAYMENTS_KEY in the manifest, and PAYMENTS_KEY: ${{ secrets.payments_key }} under the step's env:.",
      "deploy/m.yml:1: certificates[0].private-key-env: '$PAYMENTS_KEY' is not expanded in a manifest: write the variable's name alone, private-key-env: PAYMENTS_KEY.",
      "deploy/m.yml:1: certificates[0].private-key-env: 'payments-key' is not an environment variable name: use capital letters, digits and underscores (PAYMENTS_KEY), not starting with a digit.",
    ])
  })

  it("refuses the runner's and the action's own variables, without reading them", () => {
    const { problems, context, at } = setup('key: x\n', { CLOUDFLARE_API_TOKEN: 'should-not-be-read' })
    expect(readVariable('CLOUDFLARE_API_TOKEN', at, 'f', context, problems)).toBeUndefined()
    expect(readVariable('GITHUB_TOKEN', at, 'f', context, problems)).toBeUndefined()
    expect(problems.list).toEqual([
      "deploy/m.yml:1: f: 'CLOUDFLARE_API_TOKEN' starts with CLOUDFLARE_, which this action reads its own Cloudflare credentials from (CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_KEY): name a variable of your own, and set it from a secret in the step's env:.",
      "deploy/m.yml:1: f: 'GITHUB_TOKEN' starts with GITHUB_, which the runner keeps for its own variables: name a variable of your own, and set it from a secret in the step's env:.",
    ])
  })

  it('says how to set a variable that is empty or not set', () => {
    const { problems, context, at } = setup('key: x\n', { BLANK: '  ' })
    expect(readVariable('BLANK', at, 'f', context, problems)).toBeUndefined()
    expect(readVariable('MISSING', at, 'f', context, problems)).toBeUndefined()
    expect(problems.list[1]).toBe(
      "deploy/m.yml:1: f: the environment variable MISSING is empty or not set. Set it in the step's env: from a secret (MISSING: ${{ secrets.MISSING }}); an unset or misspelled secret reads as empty, and a run from a fork gets no secrets.",
    )
  })
})

describe('readManifestPath', () => {
  it("reads a file relative to the manifest's folder, and reports one outside the workspace", () => {
    const { problems, context, at } = setup('key: x\n', {}, { 'deploy/certs/a.pem': 'PEM TEXT\n' })
    expect(readManifestPath('certs/a.pem', at, 'certificates[0].certificate', context, problems)).toBe('PEM TEXT\n')
    expect(readManifestPath('../../x.pem', at, 'certificates[0].certificate', context, problems)).toBeUndefined()
    expect(problems.list).toHaveLength(1)
    expect(problems.list[0]).toMatch(
      /^deploy\/m\.yml:1: certificates\[0\]\.certificate: '\.\.\/\.\.\/x\.pem' leads out of the workspace/,
    )
  })
})

describe('workspacePath', () => {
  it('gives a Wrangler file relative to the workspace, and refuses a folder or another extension', () => {
    const { problems, context, at } = setup('key: x\n', {}, { 'workers/a/wrangler.toml': 'name = "a"\n' })
    expect(workspacePath('../workers/a/wrangler.toml', at, 'w[0].config', context, problems)).toBe(
      'workers/a/wrangler.toml',
    )
    mkdirSync(join(context.workspace, 'deploy/dir.json'))
    expect(workspacePath('dir.json', at, 'w[0].config', context, problems)).toBeUndefined()
    expect(workspacePath('wrangler.yaml', at, 'w[0].config', context, problems)).toBeUndefined()
    expect(problems.list).toHaveLength(2)
    expect(problems.list[0]).toBe(
      `deploy/m.yml:1: w[0].config: 'dir.json' is not a file (looked for ${join(context.workspace, 'deploy/dir.json')}): give the path of wrangler.json, wrangler.jsonc or wrangler.toml, relative to the manifest's folder.`,
    )
    expect(problems.list[1]).toMatch(/^deploy\/m\.yml:1: w\[0\]\.config/)
  })
})

describe('fieldLabel', () => {
  it("is the manifest's file, the node's line and the field", () => {
    const { problems, at } = setup('\n\nkey: x\n')
    expect(fieldLabel(problems, at, 'certificates[2].ca')).toBe('deploy/m.yml:3: certificates[2].ca')
  })
})
