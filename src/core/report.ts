/**
 * How a step reads, in neutral terms: the renderer (render/) alone turns these into words, so that a
 * plan and a result are told apart in one place. A target reports each of its steps as plan rows (the
 * `plan` output, the pull request's table), sections of the job summary, outputs and log lines.
 */

export const PLAN_ACTIONS = [
  'upload',
  'reuse',
  'attach',
  'detach',
  'write-binding',
  'deploy',
  'rename',
  'retire',
  'keep',
  'note',
] as const
export type PlanAction = (typeof PLAN_ACTIONS)[number]

/**
 * What differs in Cloudflare, and so counts as a change (drift): an upload, a certificate held only
 * under another name (`rename`: Cloudflare keeps one copy, so only a person can fix it), hostnames to attach or
 * detach, a Worker to deploy, an older certificate awaiting retirement. Writing an id into the
 * checkout is a step of the job, and a note is said, not done.
 */
export const CHANGE_ACTIONS: ReadonlySet<PlanAction> = new Set([
  'upload',
  'rename',
  'attach',
  'detach',
  'deploy',
  'retire',
])

/** One row of the plan: one thing to do, or found done. */
export interface PlanRow {
  /** The manifest entry's name. */
  name: string
  action: PlanAction
  /** The certificate the row is about (the one uploaded, reused, retired or kept). */
  id?: string
  /** The store, when not the account's: `Access, account …`, `origin pulls, zone …`. */
  store?: string
  /** API Shield: the hostnames attached or detached. */
  hostnames?: string[]
  /** Wrangler: the configuration file, relative to the workspace, and its section (`top level`, `env.staging`). */
  config?: string
  section?: string
  /** A consumer the step points at the certificate: `Hyperdrive orders-db (client)`. */
  consumer?: string
  /** deploy: the Worker the workflow's deploy moves, and its binding. */
  worker?: string
  binding?: string
  /** write-binding: the id the checkout's binding had, and the one it gets; deploy: what the Worker serves now, and after. */
  oldId?: string
  newId?: string
  /** Why: `same certificate already in the account`, `in use by api_shield`. */
  reason?: string
  /** When it happens, if not now: `end-of-job` (the post step). */
  when?: 'end-of-job'
}

/**
 * A verb the renderer conjugates: done (`attached`; `wrote` in the past form, `written` as a
 * participle) or planned (`would attach`), with words after it.
 */
export interface Verb {
  verb: 'upload' | 'reuse' | 'attach' | 'detach' | 'write' | 'delete'
  done: boolean
  form?: 'past' | 'participle'
  rest?: string
}

/** A piece of summary text: plain, an id or name in code, or a verb. */
export type Cell = string | { code: string } | Verb

/** A part of the job summary: a heading, a table, and paragraphs; sections with one key share a table. */
export interface Section {
  key?: string
  heading?: Cell[]
  paragraphs?: Cell[][]
  /** A table cell may be several pieces of text (a verb, then words). */
  table?: { columns: string[]; rows: (Cell | Cell[])[][] }
}

export interface LogLine {
  level: 'info' | 'notice' | 'warning'
  parts: Cell[]
}

export interface Report {
  rows: PlanRow[]
  sections: Section[]
  /** The single step's outputs this target sets (action.yml's names); the manifest's per entry. */
  outputs: Record<string, string | string[]>
  lines: LogLine[]
}

export const emptyReport = (): Report => ({ rows: [], sections: [], outputs: {}, lines: [] })

/** A step's result lines as log lines: what it did (info), then what it warns of. */
export const outcomeLines = (
  outcome: { lines?: readonly string[]; warnings?: readonly string[] } | undefined,
): LogLine[] => [
  ...(outcome?.lines ?? []).map((line): LogLine => ({ level: 'info', parts: [line] })),
  ...(outcome?.warnings ?? []).map((line): LogLine => ({ level: 'warning', parts: [line] })),
]
