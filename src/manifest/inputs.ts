import type { InputSource } from '../action/input-source.ts'
import { InputError } from '../core/errors.ts'
import { PER_CERTIFICATE_INPUTS } from '../certificate/fields.ts'

/** The inputs that describe one certificate: with `manifest`, each entry says them instead. */
export { PER_CERTIFICATE_INPUTS } from '../certificate/fields.ts'

/**
 * The `manifest` input, trimmed; empty when the step handles one certificate from its inputs. With a
 * manifest, the per-certificate inputs must be absent: which of two would count is not for us to guess.
 * `allow-missing-key` counts only when set to something but its default.
 */
export function manifestInput(source: InputSource): string {
  const manifest = source.input('manifest').trim()
  if (!manifest) return ''
  const given = PER_CERTIFICATE_INPUTS.filter((name) => {
    const value = source.input(name).trim()
    return name === 'allow-missing-key' ? value !== '' && value !== 'false' : value !== ''
  })
  if (given.length > 0) {
    const names = given.map((name) => `'${name}'`).join(', ')
    throw new InputError(
      `Input 'manifest' is set, and so ${given.length === 1 ? 'is' : 'are'} ${names}: with a manifest, each certificate's settings come from its entry. Remove ${given.length === 1 ? 'it' : 'them'} from the step, and set them in the manifest's entries (see docs/manifest.md).`,
    )
  }
  return manifest
}
