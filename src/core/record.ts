/** A plain object read from JSON or YAML (not null, not a list): its fields may be anything, checked one by one. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
