import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { loadBindings } from '../../../src/wrangler/config.ts'
import { planBindingEdits } from '../../../src/wrangler/edits.ts'
import { writeBindingEdits } from '../../../src/wrangler/write.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

const NEW = '33333333-3333-4333-8333-333333333333'
const TOML = '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "old"\n'

describe('writeBindingEdits', () => {
  it('writes each changed file in place, keeping its mode, and leaves no temporary file', () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML, 'b/wrangler.toml': TOML.replace('old', NEW) })
    chmodSync(join(workspace, 'wrangler.toml'), 0o640)
    const targets = ['wrangler.toml', 'b/wrangler.toml'].map((config) => ({ config, binding: 'PAYMENTS_CERT' }))
    const edits = planBindingEdits(loadBindings(workspace, targets), NEW)
    expect(readFileSync(join(workspace, 'wrangler.toml'), 'utf8')).toBe(TOML)
    expect(writeBindingEdits(edits)).toEqual(['wrangler.toml'])
    expect(readFileSync(join(workspace, 'wrangler.toml'), 'utf8')).toBe(TOML.replace('old', NEW))
    expect(statSync(join(workspace, 'wrangler.toml')).mode & 0o777).toBe(0o640)
    expect(readdirSync(workspace).sort()).toEqual(['b', 'wrangler.toml'])
    // A re-run plans no change and writes nothing.
    expect(writeBindingEdits(planBindingEdits(loadBindings(workspace, targets), NEW))).toEqual([])
  })

  it('keeps a byte order mark, CRLF and a byte that is not UTF-8: only the id bytes change', () => {
    const before = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('# Z\xfcrich office, \xa9 2026\r\n[[mtls_certificates]]\r\nbinding = "PAYMENTS_CERT"', 'latin1'),
    ])
    const workspace = makeWorkspace()
    writeFileSync(join(workspace, 'wrangler.toml'), before)
    const targets = [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }]
    expect(writeBindingEdits(planBindingEdits(loadBindings(workspace, targets), NEW))).toEqual(['wrangler.toml'])
    const after = readFileSync(join(workspace, 'wrangler.toml'))
    expect(after).toEqual(Buffer.concat([before, Buffer.from(`\r\ncertificate_id = "${NEW}"`)]))
    // The id replaced in place: the same bytes around it.
    const json = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        `{ // caf\xe9\r\n  "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "old" }] }`,
        'latin1',
      ),
    ])
    writeFileSync(join(workspace, 'wrangler.jsonc'), json)
    writeBindingEdits(
      planBindingEdits(loadBindings(workspace, [{ config: 'wrangler.jsonc', binding: 'PAYMENTS_CERT' }]), NEW),
    )
    expect(readFileSync(join(workspace, 'wrangler.jsonc'))).toEqual(
      Buffer.from(json.toString('latin1').replace('"old"', `"${NEW}"`), 'latin1'),
    )
  })

  it('refuses to write over a file that changed after it was read', () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const edits = planBindingEdits(
      loadBindings(workspace, [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }]),
      NEW,
    )
    writeFileSync(join(workspace, 'wrangler.toml'), `${TOML}# edited\n`)
    expect(() => writeBindingEdits(edits)).toThrow(/changed while the action ran/)
    expect(readFileSync(join(workspace, 'wrangler.toml'), 'utf8')).toBe(`${TOML}# edited\n`)
  })
})
