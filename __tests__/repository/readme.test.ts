import { describe, expect, it } from 'vitest'
import { actionYaml } from '../../test-kit/run-action.ts'
import { anchorsOf, documentedDefault, readText, tableNames } from './documents.ts'

const readme = readText('README.md')

describe('the README', () => {
  it('documents every input of action.yml, and no other', () => {
    expect(tableNames(readme, '## Inputs')).toEqual(Object.keys(actionYaml.inputs))
  })

  it('documents every output of action.yml, and no other', () => {
    expect(tableNames(readme, '## Outputs')).toEqual(Object.keys(actionYaml.outputs))
  })

  it('gives the defaults action.yml has', () => {
    for (const [name, input] of Object.entries(actionYaml.inputs)) {
      expect({ name, default: documentedDefault(readme, name) }).toEqual({ name, default: input.default ?? '' })
    }
  })

  it('has a table of contents whose links reach its headings', () => {
    const contents = readme.slice(0, readme.indexOf('\n## '))
    const anchors = [...contents.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((match) => match[1] ?? '')
    const headings = anchorsOf(readme)
    expect(anchors.length).toBeGreaterThanOrEqual(10)
    expect(anchors.filter((anchor) => !headings.includes(anchor))).toEqual([])
  })

  it('keeps the order of a page for users: quick start first, then prerequisites, reference, recipes', () => {
    const order = [
      'Quick start',
      'Prerequisites',
      'Inputs',
      'Outputs',
      'Recipes',
      'Rotation and re-runs',
      'Security',
      'Versions',
      'Troubleshooting',
    ].map((heading) => readme.indexOf(`\n## ${heading}\n`))
    expect(order.every((position) => position > 0)).toBe(true)
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('says which token permissions to create, where the IDs are and how to store the key', () => {
    const prerequisites = readme.split('\n## Prerequisites\n')[1]?.split('\n## ')[0] ?? ''
    expect(prerequisites).toMatch(/Account → SSL and Certificates → \*\*Edit\*\*/)
    expect(prerequisites).toMatch(/Zone → SSL and Certificates → \*\*Edit\*\*/)
    expect(prerequisites).toMatch(/global API key/)
    expect(prerequisites).toMatch(/account ID/i)
    expect(prerequisites).toMatch(/zone ID/i)
    expect(prerequisites).toMatch(/gh secret set [A-Z_]+ < [\w.-]+\.pem/)
  })

  it('states plainly what Cloudflare does not document about two CAs on one hostname', () => {
    expect(readme).toMatch(/does\s+not\s+document whether client certificates of the older CA still pass/)
    expect(readme).toMatch(/staging/)
    expect(readme).toContain('cf.tls_client_auth.cert_issuer_ski')
  })

  it('gives, near the top, the line that sets up and runs the action on its stand-in, and the one that runs the tests', () => {
    const top = readme.slice(0, readme.indexOf('\n## '))
    expect(top).toMatch(/^npm ci && npm run demo\b/m)
    expect(top).toMatch(/^npm test\b/m)
  })

  it('lets step 2 of the API Shield rotation run: on workflow_dispatch and a change to the workflow, not by a re-run', () => {
    const section = readme.split('\n### Rotate an API Shield client CA\n')[1]?.split('\n### ')[0] ?? ''
    expect(section).toMatch(/^ {2}workflow_dispatch:/m)
    expect(section).toMatch(/paths: \[[^\]]*'\.github\/workflows\/api-shield-ca\.yml'/)
    expect(section).not.toMatch(/and push, or re-run/)
    expect(section).toMatch(/concurrency:/)
  })

  it('says a re-run stores nothing new rather than uploads nothing, and how to rotate a key in one commit', () => {
    expect(readme).not.toMatch(/re-run uploads nothing/i)
    expect(readme).toMatch(/nothing new is stored/)
    const rotation = readme.split('\n## Rotation and re-runs\n')[1]?.split('\n## ')[0] ?? ''
    expect(rotation).toMatch(/Rotating a key by commit/)
    expect(rotation).toContain('private-key-path')
    expect(rotation).toContain('private-key-passphrase')
  })

  it('stays a page for users: short, with maintainer material in CONTRIBUTING.md', () => {
    // About 320 lines of prose and tables, plus the five recipes, each a complete workflow, and a pointer
    // to each store's recipe in docs/recipes.md (Access, origin pulls): their workflows live there.
    expect(readme.split('\n').length).toBeLessThanOrEqual(415)
    for (const heading of ['Development', 'Releasing', 'Local debugging', 'Performance']) {
      expect(readme).not.toMatch(new RegExp(`^#+ ${heading}$`, 'm'))
    }
    expect(readme).toContain('](CONTRIBUTING.md)')
  })
})

describe('CONTRIBUTING.md', () => {
  const contributing = readText('CONTRIBUTING.md')

  it('names the test command that .ci/run runs', () => {
    expect(contributing).toContain('npm test ')
    expect(readText('.ci/run')).toMatch(/^npm test$/m)
  })
})
