import { readFileSync } from 'node:fs'

/**
 * Request validation against Cloudflare's own OpenAPI descriptions: the mTLS endpoints
 * (cloudflare-mtls-openapi.json) and the rest of the estate, Workers deployments and versions, Pages,
 * Hyperdrive, Access and Authenticated Origin Pulls (cloudflare-estate-openapi.json), both beside this
 * file, copied from Cloudflare's published schema. Where both describe a path, the mTLS file's
 * operation is used; each file's `$ref`s resolve in its own schemas (the two name some alike).
 */
type Schema = Record<string, unknown>

interface Spec {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema> }
}

const load = (file: string): Spec => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as Spec

/** The estate file's schemas under `estate/<name>`, and every `$ref` in it pointed there. */
function prefixed(spec: Spec): Spec {
  const text = JSON.stringify(spec).replaceAll('"#/components/schemas/', '"#/components/schemas/estate/')
  const renamed = JSON.parse(text) as Spec
  return {
    paths: renamed.paths,
    components: {
      schemas: Object.fromEntries(Object.entries(renamed.components.schemas).map(([k, v]) => [`estate/${k}`, v])),
    },
  }
}

/**
 * The 2024 estate file names only the global key (api_email with api_key) as the security of the Access
 * and origin pull operations, while Cloudflare documents API token permissions for each of them
 * (Access: Mutual TLS Certificates; Zone: SSL and Certificates): an API token is accepted there too.
 */
function withTokens(spec: Spec): Spec {
  for (const operations of Object.values(spec.paths))
    for (const operation of Object.values(operations)) {
      const security = operation.security
      if (security && !security.some((requirement) => 'api_token' in requirement)) security.push({ api_token: [] })
    }
  return spec
}

const mtls = load('./cloudflare-mtls-openapi.json')
const estate = withTokens(prefixed(load('./cloudflare-estate-openapi.json')))
const spec: Spec = {
  paths: { ...estate.paths, ...mtls.paths },
  components: { schemas: { ...mtls.components.schemas, ...estate.components.schemas } },
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  security?: Record<string, string[]>[]
}

export interface MatchedOperation {
  template: string
  params: Record<string, string>
  operation: Operation
}

/** Finds the spec operation for a method and path, with its path parameters. */
export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  for (const [template, operations] of Object.entries(spec.paths)) {
    const names: string[] = []
    const pattern = new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`,
    )
    const match = pattern.exec(path)
    const operation = operations[method.toLowerCase()]
    if (match && operation) {
      return {
        template,
        operation,
        params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')])),
      }
    }
  }
  return undefined
}

function resolve(schema: Schema): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const target = spec.components.schemas[ref.replace('#/components/schemas/', '')]
  if (!target) throw new Error(`unresolved ${ref}`)
  return { ...resolve(target), ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$ref')) }
}

/**
 * Cloudflare's description disagrees with itself on certificate ids: `identifier` says at most 32
 * characters, the zone operation's `mtls_certificate_id` exactly 36, and real ids are UUIDs (as wrangler
 * prints them). Wherever a certificate id goes, a path, a query or a body, either a UUID or 32 hex digits
 * is accepted, and nothing else.
 */
const CERTIFICATE_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
const isCertificateIdField = (where: string): boolean => /(?:^|\.)mtls_certificate_id$/.test(where)
const validateCertificateId = (value: string, where: string): string[] =>
  CERTIFICATE_ID.test(value) ? [] : [`${where} must be a UUID or 32 hex digits`]

/** A JSON-schema subset (type, properties, required, enum, min/maxLength, items, $ref): enough for these endpoints. */
export function validate(value: unknown, schemaOrRef: Schema, where = 'body'): string[] {
  const schema = resolve(schemaOrRef)
  // `enabled: null` voids a hostname's origin pull assignment: the description marks such fields nullable.
  if (value === null && schema.nullable === true) return []
  const problems: string[] = []
  const type = schema.type
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where} must be an object`]
    const record = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const name of (schema.required ?? []) as string[])
      if (!(name in record)) problems.push(`${where}.${name} is required`)
    for (const [name, item] of Object.entries(record)) {
      const property = properties[name]
      // Stricter than the spec on purpose: an unknown field is a typo the real API would ignore.
      if (!property) problems.push(`${where}.${name} is not in the schema`)
      else problems.push(...validate(item, property, `${where}.${name}`))
    }
  } else if (type === 'string') {
    if (typeof value !== 'string') problems.push(`${where} must be a string`)
    else if (isCertificateIdField(where)) problems.push(...validateCertificateId(value, where))
    else if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      problems.push(`${where} is longer than ${schema.maxLength}`)
    else if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      problems.push(`${where} is shorter than ${schema.minLength}`)
  } else if (type === 'boolean' && typeof value !== 'boolean') {
    problems.push(`${where} must be a boolean`)
  } else if (type === 'array') {
    if (!Array.isArray(value)) problems.push(`${where} must be an array`)
    else if (schema.items)
      value.forEach((item, index) => problems.push(...validate(item, schema.items as Schema, `${where}[${index}]`)))
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.includes(value) &&
    !(schema.enum.length === 1 && schema.enum[0] === null)
  ) {
    problems.push(`${where} must be one of ${JSON.stringify(schema.enum)}`)
  }
  return problems
}

/** Problems with a request against its operation: path parameters, auth scheme, content type and body. */
export function validateRequest(
  matched: MatchedOperation,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  rawBody: string,
  query: URLSearchParams = new URLSearchParams(),
): string[] {
  const problems: string[] = []
  for (const parameter of matched.operation.parameters ?? []) {
    if (parameter.in === 'path')
      problems.push(...validate(matched.params[parameter.name], parameter.schema, parameter.name))
    else if (parameter.in === 'query') problems.push(...validateQuery(query, parameter))
  }
  const known = new Set((matched.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name))
  for (const name of new Set(query.keys()))
    if (!known.has(name)) problems.push(`query parameter ${name} is not in the operation`)
  const schemes = (matched.operation.security ?? []).map((requirement) => Object.keys(requirement))
  const present = (scheme: string): boolean =>
    scheme === 'api_token'
      ? /^Bearer \S+$/.test(String(headers.authorization ?? ''))
      : scheme === 'api_email'
        ? Boolean(headers['x-auth-email'])
        : scheme === 'api_key'
          ? Boolean(headers['x-auth-key'])
          : false
  if (!schemes.some((scheme) => scheme.every(present)))
    problems.push('no authentication scheme of the operation is satisfied')
  if (matched.operation.requestBody) {
    if (!String(headers['content-type'] ?? '').startsWith('application/json'))
      problems.push('content-type must be application/json')
    let body: unknown
    try {
      body = JSON.parse(rawBody)
    } catch {
      return [...problems, 'body is not JSON']
    }
    const schema = matched.operation.requestBody.content['application/json']?.schema
    if (schema) problems.push(...validate(body, schema))
  } else if (rawBody.length > 0) {
    problems.push('this operation takes no body')
  }
  return problems
}

/** A query parameter: given at most once, present when required, and valid against its schema when given. */
function validateQuery(query: URLSearchParams, parameter: NonNullable<Operation['parameters']>[number]): string[] {
  const values = query.getAll(parameter.name)
  if (values.length === 0) return parameter.required ? [`query parameter ${parameter.name} is required`] : []
  if (values.length > 1) return [`query parameter ${parameter.name} is given ${values.length} times`]
  // An array parameter is sent in form style, unexploded: one value, comma-separated (`?type=custom,gateway_managed`).
  const value = resolve(parameter.schema).type === 'array' ? (values[0] ?? '').split(',') : values[0]
  return validate(value, parameter.schema, parameter.name)
}
