import { describe, expect, it } from 'vitest'
import { HYPERDRIVE_FIELD, configsOf } from '../../../../src/targets/hyperdrive/field.ts'

describe('the hyperdrive field', () => {
  it('takes config ids of 32 hex digits, and says what one is otherwise', () => {
    expect(HYPERDRIVE_FIELD.check?.({ config: 'a'.repeat(32) })).toBeUndefined()
    expect(HYPERDRIVE_FIELD.check?.({ config: 'orders-db' })).toMatch(
      /^'orders-db' is not a Hyperdrive config id: 32 hex digits/,
    )
  })

  it('needs the key of a client certificate, and none of a CA', () => {
    expect(HYPERDRIVE_FIELD.rule?.({ ca: false, hasKey: false })).toMatch(/^needs the certificate's private key/)
    expect(HYPERDRIVE_FIELD.rule?.({ ca: false, hasKey: true })).toBeUndefined()
    expect(HYPERDRIVE_FIELD.rule?.({ ca: true, hasKey: false })).toBeUndefined()
  })

  it("gives an entry's configs from its spec's uses", () => {
    expect(configsOf({ hyperdrive: [{ config: 'a' }, { config: 'b' }] })).toEqual(['a', 'b'])
    expect(configsOf(undefined)).toEqual([])
  })
})
