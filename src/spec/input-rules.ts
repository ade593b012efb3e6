import { CERTIFICATE_FIELD_KEYS, CERTIFICATE_FIELDS, type CertificateField } from '../certificate/fields.ts'
import { certificateRules, inputNames, type GivenFields } from '../certificate/rules.ts'
import { InputError } from '../core/errors.ts'
import { plural } from '../core/text.ts'
import { EMPTY_INPUT_NOTE } from '../action/input-parsers.ts'
import { trimmedInputs, type InputSource } from '../action/input-source.ts'

/**
 * The certificate rules (certificate/rules.ts) for the step's inputs: which fields the inputs set,
 * and every rule they break in one InputError, before any file is read or anything is sent.
 */

/** The certificate's fields the inputs set, each with the input that set it. */
export function fieldsSetByInputs(source: InputSource): GivenFields['set'] {
  const read = trimmedInputs(source)
  const set: GivenFields['set'] = {}
  for (const key of CERTIFICATE_FIELD_KEYS) {
    const field: CertificateField = CERTIFICATE_FIELDS[key]
    // Booleans are read by value (ca: false is set, but says something else than true); the rest by presence.
    if (field.type === 'boolean') continue
    const input = field.inputs.find((name) => read(name) !== '')
    if (input !== undefined) set[key] = input
  }
  return set
}

/** Throws an InputError naming every rule the inputs break; `given` is the parsed booleans. */
export function checkInputRules(
  source: InputSource,
  given: Pick<GivenFields, 'ca' | 'allowMissingKey' | 'replace' | 'store'>,
): void {
  const set = fieldsSetByInputs(source)
  const errors = certificateRules({ ...given, set }, inputNames(set, EMPTY_INPUT_NOTE))
  if (errors.length === 1) throw new InputError(errors[0] ?? '')
  if (errors.length > 1) {
    const listed = errors.map((error, index) => `(${index + 1}) ${error}`).join(' ')
    throw new InputError(`The inputs have ${plural(errors.length, 'problem')}, so nothing was sent: ${listed}`)
  }
}
