import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { workerScriptNamesOf } from '../../../../src/cloudflare/workers/answers.ts'

/** The Workers answers are read as what they say or refused: never as "no Worker binds it". */

describe('workerScriptNamesOf', () => {
  it('gives the script names of a whole list', () => {
    expect(workerScriptNamesOf([{ id: 'payments' }, { id: 'api' }], { page: 1, total_pages: 1 })).toEqual([
      'payments',
      'api',
    ])
    expect(workerScriptNamesOf([{ id: 'payments' }])).toEqual(['payments'])
  })

  it('refuses a list that result_info says goes on past this page: an unseen Worker could bind a certificate', () => {
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { page: 1, total_pages: 3 })).toThrow(ApiError)
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { page: 1, total_pages: 3 })).toThrow(
      /page 1 of 3.*which Workers bind a certificate is unknown/,
    )
  })

  it('refuses an answer that is not a list of scripts with ids', () => {
    expect(() => workerScriptNamesOf({ id: 'payments' })).toThrow(ApiError)
    expect(() => workerScriptNamesOf([{ name: 'payments' }])).toThrow(ApiError)
  })
})

describe('workerScriptNamesOf on a list that may be partial', () => {
  it('refuses a count above what came and a page marker that is not a number', () => {
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { count: 1, total_count: 2 })).toThrow(
      /may be partial \(it counts 2 in all and 1 came\)/,
    )
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { page: 1, total_pages: '2' })).toThrow(
      /page marker total_pages is "2", not a number/,
    )
  })
})
