import { closeSync, constants, fstatSync, openSync, readSync, readlinkSync, statSync, type Stats } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { InputError, errorCode } from '../core/errors.ts'
import type { PathSubject } from '../core/workspace-path.ts'

/** Reading the PEM files the path inputs name, defensively: a wrong path fails fast with a message that says why. */

/** A certificate chain or key is a few KiB; anything past this is the wrong file. */
export const MAX_PEM_BYTES = 256 * 1024

type PathInput = 'certificate-path' | 'private-key-path'
/** The input that takes the PEM text itself, for the fix a message about a path input suggests. */
const TEXT_INPUT: Record<PathInput, string> = { 'certificate-path': 'certificate', 'private-key-path': 'private-key' }
/** Opening without waiting: should the path turn into a FIFO after it was checked, open still returns at once. */
const OPEN_FLAGS = constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NONBLOCK)

/** How the messages about one file name it, and the fixes they suggest. */
export interface FileSubject extends PathSubject {
  /** What the file is: `PEM file`, `manifest`. */
  noun: string
  /** The other way to give the text, for a path that is not a regular file: `pass the PEM text through certificate`. */
  alternative?: string
}

/**
 * Reads a regular file, or a symbolic link to one, and at most MAX_PEM_BYTES + 1 bytes of it, so a
 * wrong path to a huge file fails fast without filling memory. Anything else is refused before it is
 * read: a FIFO, socket or device can block on open or read for ever, and timeout-seconds covers only
 * the API phase.
 */
export function readPemFile(name: PathInput, path: string, workspace: string): string {
  const fullPath = isAbsolute(path) ? path : resolve(workspace, path)
  const subject: FileSubject = {
    label: `Input '${name}'`,
    relativeTo: 'the repository root',
    noun: 'PEM file',
    alternative: `pass the PEM text through ${TEXT_INPUT[name]}`,
  }
  return readTextFile(subject, path, fullPath)
}

/** Reads a text file of at most MAX_PEM_BYTES at `fullPath` (`path` as the user wrote it), with the messages of readPemFile. */
export function readTextFile(subject: FileSubject, path: string, fullPath: string): string {
  const stats = statFile(subject, path, fullPath)
  if (stats.isDirectory()) {
    throw new InputError(`${subject.label}: '${path}' is a directory; give the path of the ${subject.noun} inside it.`)
  }
  checkRegularFile(subject, path, stats)
  let fd: number
  try {
    fd = openSync(fullPath, OPEN_FLAGS)
  } catch (error) {
    throw new InputError(
      `${subject.label}: '${path}' cannot be read (${errorCode(error) || 'error'}). Check the file's permissions.`,
    )
  }
  try {
    checkRegularFile(subject, path, fstatSync(fd))
    const buffer = Buffer.alloc(MAX_PEM_BYTES + 1)
    let length = 0
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null)
    }
    if (length > MAX_PEM_BYTES) {
      throw new InputError(
        `${subject.label}: '${path}' is larger than ${MAX_PEM_BYTES / 1024} KiB; a PEM certificate chain or key is a few KiB. Check that the path points at the ${subject.noun}.`,
      )
    }
    return decodeText(buffer.subarray(0, length))
  } finally {
    closeSync(fd)
  }
}

/** The file's status, following symbolic links; a failure says what is wrong with the path. */
function statFile(subject: FileSubject, path: string, fullPath: string): Stats {
  const { label } = subject
  try {
    return statSync(fullPath)
  } catch (error) {
    const code = errorCode(error) || 'error'
    const fixLink = `Point the link at the ${subject.noun}, or give the file's own path.`
    if (code === 'ELOOP') {
      throw new InputError(`${label}: '${path}' is a symbolic link loop: following it leads back to itself. ${fixLink}`)
    }
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new InputError(`${label}: '${path}' cannot be read (${code}). Check the file's permissions.`)
    }
    const target = linkTarget(fullPath)
    if (target !== undefined) {
      throw new InputError(`${label}: '${path}' is a symbolic link to '${target}', which does not exist. ${fixLink}`)
    }
    throw new InputError(
      `${label}: file '${path}' does not exist (looked for ${fullPath}). Check the path, relative to ${subject.relativeTo}, and that the workflow checks the repository out (actions/checkout) before this step.`,
    )
  }
}

function checkRegularFile(subject: FileSubject, path: string, stats: Stats): void {
  if (stats.isFile()) return
  const alternative = subject.alternative ? `, or ${subject.alternative}` : ''
  throw new InputError(
    `${subject.label}: '${path}' is ${fileKind(stats)}, not a regular file. Give the path of the ${subject.noun} itself${alternative}.`,
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

/** UTF-8, or UTF-16 with a byte-order mark: what Windows PowerShell 5 writes by default. */
function decodeText(bytes: Buffer): string {
  const utf16 = (): Buffer => Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16().toString('utf16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16().swap16().toString('utf16le')
  return bytes.toString('utf8')
}
