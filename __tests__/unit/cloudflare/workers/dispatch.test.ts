import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { namespaceScriptsOf, namespacesOf } from '../../../../src/cloudflare/workers/dispatch.ts'

describe('namespacesOf', () => {
  it('reads each namespace name and script count', () => {
    expect(namespacesOf([{ namespace_name: 'customers', script_count: 2, namespace_id: 'x' }], undefined)).toEqual([
      { name: 'customers', scriptCount: 2 },
    ])
  })
  it('refuses a partial list, a name that is not one, and a count that is not a number', () => {
    expect(() => namespacesOf([{ namespace_name: 'a' }], { total_count: 2 })).toThrow(/may be partial/)
    expect(() => namespacesOf([{ namespace_name: '../a' }], undefined)).toThrow(ApiError)
    expect(() => namespacesOf([{ namespace_name: 'a', script_count: '2' }], undefined)).toThrow(ApiError)
    expect(() => namespacesOf({}, undefined)).toThrow(ApiError)
  })
})

describe('namespaceScriptsOf', () => {
  it('reads the script names, and refuses fewer than the namespace counts', () => {
    const namespace = { name: 'customers', scriptCount: 2 }
    expect(namespaceScriptsOf([{ id: 'acme' }, { id: 'globex' }], undefined, namespace)).toEqual(['acme', 'globex'])
    expect(() => namespaceScriptsOf([{ id: 'acme' }], undefined, namespace)).toThrow(
      /scripts of dispatch namespace customers may be partial \(the namespace counts 2 and 1 came\)/,
    )
    expect(() => namespaceScriptsOf([{ name: 'acme' }], undefined, { name: 'customers' })).toThrow(ApiError)
  })
})
