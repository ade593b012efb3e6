import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ROOT } from '../../test-kit/run-action.ts'

interface ActionMetadata {
  name: string
  author?: string
  inputs: Record<string, { description?: string; default?: string }>
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; license: string }

describe('action.yml', () => {
  it('names the project as its author, not the repository slug', () => {
    expect(action.author).toBeTruthy()
    expect(action.author).not.toBe(packageJson.name)
    expect(action.author).not.toMatch(/^[\w.-]+(\/[\w.-]+)?$/)
    expect(action.author).toContain(action.name)
  })

  it('says the default in the description of every input that has one', () => {
    const missing = Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .filter(([, input]) => !(input.description ?? '').includes(`Default \`${input.default ?? ''}\`.`))
      .map(([name]) => name)
    expect(missing).toEqual([])
  })
})

describe('the license', () => {
  it('is the MIT license that package.json declares', () => {
    expect(packageJson.license).toBe('MIT')
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8')
    const holder = /^MIT License\n\nCopyright \(c\) \d{4} (.+)\n/.exec(license)?.[1]
    expect(holder).toBe(action.author)
    expect(license).toContain('Permission is hereby granted, free of charge')
  })
})
