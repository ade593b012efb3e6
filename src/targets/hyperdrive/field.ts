import type { TargetField } from '../../certificate/fields.ts'

/**
 * `hyperdrive: [{config: <id>}]` in a manifest entry: the Hyperdrive configs that connect with its
 * certificate. A client certificate is presented with its key, so it needs one; a CA needs none.
 */
export const HYPERDRIVE_FIELD: TargetField = {
  key: 'hyperdrive',
  items: { config: 'string' },
  required: ['config'],
  check: ({ config = '' }) =>
    /^[0-9a-f]{32}$/.test(config)
      ? undefined
      : `'${config.slice(0, 60)}' is not a Hyperdrive config id: 32 hex digits, as \`wrangler hyperdrive list\` shows them`,
  rule: ({ ca, hasKey }) =>
    ca === false && !hasKey
      ? "needs the certificate's private key: a Hyperdrive config presents the client certificate with its key to the database. Set private-key-env or private-key-path, and remove allow-missing-key."
      : undefined,
}

/** The configs an entry names, from its spec. */
export const configsOf = (uses: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>> | undefined) =>
  (uses?.[HYPERDRIVE_FIELD.key] ?? []).map((item) => item.config ?? '')
