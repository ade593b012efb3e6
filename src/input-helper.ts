import { closeSync, constants, fstatSync, openSync, readSync, readlinkSync, statSync, type Stats } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import * as core from '@actions/core'
import { InputError } from './errors.ts'
import { normalisePem } from './pem.ts'
import { capitalise } from './text.ts'
import { registerSecret } from './secrets.ts'
import { REPLACE_WHEN, type ApiSettings, type Credentials, type PemInput, type Settings } from './settings.ts'

export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4'
/** A certificate chain or key is a few KiB; anything past this is the wrong file. */
export const MAX_PEM_BYTES = 256 * 1024

/** Where inputs come from; `core.getInput` and `process.env` on the runner, plain maps in tests. */
export interface InputSource {
  /**
   * The input's value as written, not trimmed (`core.getInput(name, { trimWhitespace: false })`): a
   * passphrase may begin or end with spaces. Every other input is trimmed here.
   */
  input(name: string): string
  env: Readonly<Record<string, string | undefined>>
}

/** The inputs as the runner gives them to this step, untrimmed (see InputSource). */
export function actionInputs(): InputSource {
  return { input: (name) => core.getInput(name, { trimWhitespace: false }), env: process.env }
}

/**
 * Reads and validates every input. Secrets are read and registered with the runner first, so that
 * nothing logged later, not even an error about another input, can show them.
 */
export function getSettings(source: InputSource): Settings {
  registerSecretInputs(source)
  const read = (name: string): string => source.input(name).trim()

  const workspace = source.env.GITHUB_WORKSPACE || process.cwd()
  const ca = parseBoolean('ca', read('ca'), undefined)
  const privateKey = readPrivateKey(read, workspace, ca)
  const passphrase = source.input('private-key-passphrase')
  const certificate = readCertificate(read, workspace)

  const settings: Settings = {
    ...getApiSettings(source),
    certificate,
    ca,
    allowMissingKey: parseBoolean('allow-missing-key', read('allow-missing-key'), false),
    expiryWarningDays: parseInteger('expiry-warning-days', read('expiry-warning-days'), 30, 0),
    replace: parseBoolean('replace', read('replace'), false),
    replaceWhen: parseChoice('replace-when', read('replace-when'), REPLACE_WHEN),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
  }
  const name = read('name')
  if (name) settings.name = parseName(name)
  if (privateKey) settings.privateKey = privateKey
  // Kept as given, spaces and all; only one of spaces alone (which could not be masked) counts as none.
  if (passphrase.trim()) settings.privateKeyPassphrase = passphrase
  if (settings.replace && !settings.name) {
    throw new InputError(
      "Input 'replace' needs 'name': replace deletes the older certificates with the same name, so set name: to the label this certificate rotates under.",
    )
  }
  return settings
}

/** What talking to Cloudflare needs, and no more: the post step reads only this (with the secrets registered first). */
export function getApiSettings(source: InputSource): ApiSettings {
  const read = (name: string): string => source.input(name).trim()
  const env = (name: string): string => (source.env[name] ?? '').trim()
  return {
    accountId: parseAccountId(read('account-id') || env('CLOUDFLARE_ACCOUNT_ID')),
    credentials: parseCredentials(read, env),
    apiBaseUrl: parseApiBaseUrl(read('api-base-url') || DEFAULT_API_BASE_URL),
    maxRetries: parseInteger('max-retries', read('max-retries'), 3, 0, 10),
    timeoutSeconds: parsePositiveSeconds('timeout-seconds', read('timeout-seconds'), 60),
  }
}

/**
 * Registers every secret the inputs and environment hold with the runner. Each step's process does
 * this before it logs anything: the post step too, as it reads the same inputs.
 */
export function registerSecretInputs(source: InputSource): void {
  // As given: registerSecret adds the trimmed form, so both are masked.
  for (const name of ['api-token', 'api-key', 'private-key-passphrase']) registerSecret(source.input(name))
  for (const name of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY']) registerSecret(source.env[name])
  registerKey(source.input('private-key'))
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) registerProxyPassword(source.env[name])
}

/** One of a fixed set of words; empty means the first, the default. */
export function parseChoice<const T extends readonly [string, ...string[]]>(
  name: string,
  value: string,
  choices: T,
): T[number] {
  if (value === '') return choices[0]
  const choice = choices.find((candidate) => candidate === value)
  if (choice === undefined) {
    throw new InputError(
      `Input '${name}' must be one of ${choices.join(', ')}, got '${value.slice(0, 20)}'. Remove it to use the default, ${choices[0]}.`,
    )
  }
  return choice
}

/**
 * A proxy URL may carry credentials (http://user:secret@proxy:3128). They are masked as written,
 * decoded, and, for a URL that does not parse (an unencoded # or / in the password), as everything
 * between the scheme and the last @: Node's error for such a URL quotes it whole. The Basic credentials
 * sent to the proxy are masked too.
 */
function registerProxyPassword(proxy: string | undefined): void {
  const userinfo = proxy ? /^(?:[a-z][a-z0-9+.-]*:\/\/)?(.*)@/i.exec(proxy)?.[1] : undefined
  if (!userinfo) return
  registerSecret(userinfo)
  const password = userinfo.slice(userinfo.indexOf(':') + 1)
  if (userinfo.includes(':') && password) {
    registerSecret(password)
    try {
      const decoded = decodeURIComponent(password)
      registerSecret(decoded)
      // The Proxy-Authorization value undici makes of the credentials: a derived form, masked too.
      const user = decodeURIComponent(userinfo.slice(0, userinfo.indexOf(':')))
      registerSecret(Buffer.from(`${user}:${decoded}`).toString('base64'))
    } catch {
      // Not percent-encoded text: the raw form above is what can be printed.
    }
  }
}

export function parseAccountId(value: string): string {
  if (!value) {
    throw new InputError(
      "Input 'account-id' is required: set account-id: to your Cloudflare account ID (32 hex characters, shown on the dashboard's account home), or set the CLOUDFLARE_ACCOUNT_ID environment variable.",
    )
  }
  if (!/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new InputError(
      `Input 'account-id' must be 32 hexadecimal characters (the Account ID from the Cloudflare dashboard), but the value given has ${value.length} characters${/[^0-9a-fA-F]/.test(value) ? ' and some are not hex digits' : ''}. Copy the Account ID again, not the account name or a zone ID.`,
    )
  }
  return value.toLowerCase()
}

/** YAML 1.2 core-schema booleans only: `yes`, `on` and `1` are rejected as ambiguous. */
export function parseBoolean(name: string, value: string, fallback: boolean | undefined): boolean {
  if (value === '' && fallback !== undefined) return fallback
  if (value === '') {
    throw new InputError(
      `Input '${name}' is required: set ${name}: true for a CA certificate (uploaded without a key) or ${name}: false for a client (leaf) certificate.`,
    )
  }
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(
    `Input '${name}' must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE), got '${value.slice(0, 20)}'.`,
  )
}

export function parseInteger(name: string, value: string, fallback: number, min: number, max = 36500): number {
  if (value === '') return fallback
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new InputError(
      `Input '${name}' must be a whole number from ${min} to ${max}, got '${value.slice(0, 20)}'. Remove it to use the default, ${fallback}.`,
    )
  }
  return number
}

export function parsePositiveSeconds(name: string, value: string, fallback: number): number {
  if (value === '') return fallback
  const number = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0) || number > 3600) {
    throw new InputError(
      `Input '${name}' must be a number of seconds greater than 0 and at most 3600, got '${value.slice(0, 20)}'. Remove it to use the default, ${fallback}.`,
    )
  }
  return number
}

function parseName(name: string): string {
  if (name.length > 200 || /\p{Cc}/u.test(name)) {
    throw new InputError(
      "Input 'name' must be a single line of at most 200 characters: it is the label shown in the Cloudflare dashboard.",
    )
  }
  return name
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])
const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

export function parseApiBaseUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(
      `Input 'api-base-url' is not a valid URL: it must be an absolute https:// URL such as ${DEFAULT_API_BASE_URL}. Remove it to use that default.`,
    )
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      `Input 'api-base-url' must use https: credentials and the private key would cross the network in clear text to ${url.hostname}. Plain http is allowed only to a loopback host (127.0.0.1, localhost, [::1]) for local testing.`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`Input 'api-base-url' must be an https:// URL, got a ${url.protocol} URL.`)
  }
  if (url.username || url.password || /[?#]/.test(value)) {
    throw new InputError(
      "Input 'api-base-url' must not carry credentials, a query or a fragment: give the API root only, such as https://api.cloudflare.com/client/v4, and pass credentials through api-token.",
    )
  }
  return withoutTrailingSlashes(url.href)
}

/** A loop, not /\/+$/: that pattern takes quadratic time on a long run of slashes that does not end the text. */
function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === '/') end--
  return text.slice(0, end)
}

function parseCredentials(read: (name: string) => string, env: (name: string) => string): Credentials {
  const fromInputs = { token: read('api-token'), email: read('api-email'), key: read('api-key') }
  const useInputs = Boolean(fromInputs.token || fromInputs.email || fromInputs.key)
  // Inputs win: when any credential input is set, the environment's credentials are ignored.
  const given = useInputs
    ? fromInputs
    : { token: env('CLOUDFLARE_API_TOKEN'), email: env('CLOUDFLARE_EMAIL'), key: env('CLOUDFLARE_API_KEY') }
  const names = useInputs
    ? { token: "input 'api-token'", email: "input 'api-email'", key: "input 'api-key'" }
    : { token: 'CLOUDFLARE_API_TOKEN', email: 'CLOUDFLARE_EMAIL', key: 'CLOUDFLARE_API_KEY' }

  if (given.token && (given.email || given.key)) {
    throw new InputError(
      `Both an API token (${names.token}) and a global API key (${given.key ? names.key : names.email}) are set: use exactly one method. Prefer api-token alone, scoped to "Account: SSL and Certificates: Edit".`,
    )
  }
  if (given.token) {
    checkHeaderValue(names.token, given.token)
    return { kind: 'token', token: given.token }
  }
  if (given.email || given.key) {
    if (!given.key)
      throw new InputError(
        `${capitalise(names.email)} is set without ${names.key}: the global API key needs both, or use api-token instead.`,
      )
    if (!given.email)
      throw new InputError(
        `${capitalise(names.key)} is set without ${names.email}: the global API key needs the account's email too, or use api-token instead.`,
      )
    // Printable ASCII only: it is sent as a header value.
    if (!/^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/.test(given.email)) {
      throw new InputError(
        `${capitalise(names.email)} must be the email address of the Cloudflare user that owns the global API key.`,
      )
    }
    checkHeaderValue(names.key, given.key)
    return { kind: 'global-key', email: given.email, key: given.key }
  }
  throw new InputError(
    'No Cloudflare credentials: set api-token: ${{ secrets.CLOUDFLARE_API_TOKEN }} (a token with "Account: SSL and Certificates: Edit"), or api-email and api-key for a global API key, or the CLOUDFLARE_API_TOKEN environment variable.',
  )
}

function checkHeaderValue(name: string, value: string): void {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(
      `${capitalise(name)} contains spaces, line breaks or non-ASCII characters: copy the credential again, without quotes or extra text.`,
    )
  }
}

function readCertificate(read: (name: string) => string, workspace: string): PemInput {
  const text = read('certificate')
  const path = read('certificate-path')
  if (text && path) {
    throw new InputError(
      "Inputs 'certificate' and 'certificate-path' are both set: give the certificate once, either as PEM text in certificate or as a file in certificate-path.",
    )
  }
  if (path) return { text: readPemFile('certificate-path', path, workspace), input: 'certificate-path', path }
  if (text) return { text: boundedText('certificate', text), input: 'certificate' }
  throw new InputError(
    'No certificate given: set certificate-path: to the PEM file in your repository (for example certs/client.pem), or certificate: to the PEM text.',
  )
}

function readPrivateKey(read: (name: string) => string, workspace: string, ca: boolean): PemInput | undefined {
  const text = read('private-key')
  const path = read('private-key-path')
  if (text && path) {
    throw new InputError(
      "Inputs 'private-key' and 'private-key-path' are both set: give the key once, preferably as private-key: ${{ secrets.CLIENT_KEY }}.",
    )
  }
  if ((text || path) && ca) {
    throw new InputError(
      `Input '${text ? 'private-key' : 'private-key-path'}' is set with ca: true: a CA certificate is uploaded without its private key. Remove the key input, or set ca: false if this is a client certificate.`,
    )
  }
  if (text) return { text: boundedText('private-key', text), input: 'private-key' }
  if (!path) return undefined
  const keyText = readPemFile('private-key-path', path, workspace)
  registerKey(keyText)
  return { text: keyText, input: 'private-key-path', path }
}

/**
 * A key is masked as given (not trimmed), so that every line the runner may print is covered, and as
 * the PEM scanner reads it: indentation gone and literal \n turned into line breaks, a form this
 * action makes of the secret.
 */
function registerKey(text: string): void {
  registerSecret(text)
  registerSecret(normalisePem(text))
}

function boundedText(name: string, text: string): string {
  if (Buffer.byteLength(text) > MAX_PEM_BYTES) {
    throw new InputError(
      `Input '${name}' is larger than ${MAX_PEM_BYTES / 1024} KiB: a PEM certificate chain or key is a few KiB. Check that the right value is passed.`,
    )
  }
  return text
}

type PathInput = 'certificate-path' | 'private-key-path'
/** The input that takes the PEM text itself, for the fix a message about a path input suggests. */
const TEXT_INPUT: Record<PathInput, string> = { 'certificate-path': 'certificate', 'private-key-path': 'private-key' }
/** Opening without waiting: should the path turn into a FIFO after it was checked, open still returns at once. */
const OPEN_FLAGS = constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK)

/**
 * Reads a regular file, or a symbolic link to one, and at most MAX_PEM_BYTES + 1 bytes of it, so a
 * wrong path to a huge file fails fast without filling memory. Anything else is refused before it is
 * read: a FIFO, socket or device can block on open or read for ever, and timeout-seconds covers only
 * the API phase.
 */
function readPemFile(name: PathInput, path: string, workspace: string): string {
  const fullPath = isAbsolute(path) ? path : resolve(workspace, path)
  const stats = statPemFile(name, path, fullPath)
  if (stats.isDirectory()) {
    throw new InputError(`Input '${name}': '${path}' is a directory; give the path of the PEM file inside it.`)
  }
  checkRegularFile(name, path, stats)
  let fd: number
  try {
    fd = openSync(fullPath, OPEN_FLAGS)
  } catch (error) {
    throw new InputError(
      `Input '${name}': '${path}' cannot be read (${errorCode(error)}). Check the file's permissions.`,
    )
  }
  try {
    checkRegularFile(name, path, fstatSync(fd))
    const buffer = Buffer.alloc(MAX_PEM_BYTES + 1)
    let length = 0
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null)
    }
    if (length > MAX_PEM_BYTES) {
      throw new InputError(
        `Input '${name}': '${path}' is larger than ${MAX_PEM_BYTES / 1024} KiB; a PEM certificate chain or key is a few KiB. Check that the path points at the PEM file.`,
      )
    }
    return decodeText(buffer.subarray(0, length))
  } finally {
    closeSync(fd)
  }
}

/** The file's status, following symbolic links; a failure says what is wrong with the path. */
function statPemFile(name: PathInput, path: string, fullPath: string): Stats {
  try {
    return statSync(fullPath)
  } catch (error) {
    const code = errorCode(error)
    const fixLink = "Point the link at the PEM file, or give the file's own path."
    if (code === 'ELOOP') {
      throw new InputError(
        `Input '${name}': '${path}' is a symbolic link loop: following it leads back to itself. ${fixLink}`,
      )
    }
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new InputError(`Input '${name}': '${path}' cannot be read (${code}). Check the file's permissions.`)
    }
    const target = linkTarget(fullPath)
    if (target !== undefined) {
      throw new InputError(
        `Input '${name}': '${path}' is a symbolic link to '${target}', which does not exist. ${fixLink}`,
      )
    }
    throw new InputError(
      `Input '${name}': file '${path}' does not exist (looked for ${fullPath}). Check the path, relative to the repository root, and that the workflow checks the repository out (actions/checkout) before this step.`,
    )
  }
}

function checkRegularFile(name: PathInput, path: string, stats: Stats): void {
  if (stats.isFile()) return
  throw new InputError(
    `Input '${name}': '${path}' is ${fileKind(stats)}, not a regular file. Give the path of the PEM file itself, or pass the PEM text through ${TEXT_INPUT[name]}.`,
  )
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isDirectory()) return 'a directory'
  return 'a special file'
}

/** Where a symbolic link points, as written in the link; undefined when the path is not a link. */
function linkTarget(fullPath: string): string | undefined {
  try {
    return readlinkSync(fullPath)
  } catch {
    return undefined
  }
}

const errorCode = (error: unknown): string => (error instanceof Error && 'code' in error ? String(error.code) : 'error')

/** UTF-8, or UTF-16 with a byte-order mark: what Windows PowerShell 5 writes by default. */
function decodeText(bytes: Buffer): string {
  const utf16 = (): Buffer => Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16().toString('utf16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16().swap16().toString('utf16le')
  return bytes.toString('utf8')
}
