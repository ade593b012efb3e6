import { chmodSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { OperationError, errorCode } from '../core/errors.ts'
import { printable } from '../core/text.ts'
import type { BindingEdits } from './edits.ts'
import { encodeConfig } from './encoding.ts'

/**
 * Writes the planned text of each changed file, atomically: a temporary file beside it, with the
 * file's mode, renamed over it, so that a deploy never reads half a file. A file that changed since
 * it was read is left alone. Returns the configurations written, as the user wrote their paths.
 */
export function writeBindingEdits(edits: BindingEdits): string[] {
  const written: string[] = []
  for (const file of edits.files) {
    if (!file.changed) continue
    // Through a symbolic link (inside the workspace, as loading checked), the file it points at.
    const path = realpathSync(file.fullPath)
    const shown = `'${printable(file.config)}'`
    // Compared and written as bytes: a byte order mark, or a byte that is not UTF-8, stays as it was.
    if (!readFileSync(path).equals(encodeConfig(file.before, file))) {
      throw new OperationError(`${shown} changed while the action ran: certificate_id was not written into it.`)
    }
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      const mode = statSync(path).mode & 0o7777
      writeFileSync(temporary, encodeConfig(file.after, file), { mode, flag: 'wx' })
      chmodSync(temporary, mode)
      renameSync(temporary, path)
    } catch (error) {
      rmSync(temporary, { force: true })
      throw new OperationError(`${shown} could not be written (${errorCode(error) || 'error'}).`)
    }
    written.push(file.config)
  }
  return written
}
