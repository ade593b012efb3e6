import { readHyperdriveConfig, setHyperdriveCertificate } from '../../cloudflare/hyperdrive/configs.ts'
import { NO_OTHER_CONSUMERS } from '../../consumers/scope.ts'
import { hyperdriveUse } from '../../consumers/readers.ts'
import type { Step } from '../../plan/step.ts'
import { placedOf, type UseTarget } from '../../plan/target.ts'
import { workerCheck } from '../../replace/workers.ts'
import type { HyperdriveData, HyperdriveDone } from './data.ts'
import { reportHyperdrive } from './report.ts'
import { HYPERDRIVE_FIELD, configsOf } from './field.ts'

/**
 * Hyperdrive: the configs a manifest entry names connect to their database with its certificate, a
 * client certificate (with its key) as `mtls.mtls_certificate_id`, a CA as `mtls.ca_certificate_id`.
 * Moved make-before-break: once the certificate is in place, before any older one is retired; a
 * config Hyperdrive refuses (its test connection fails) fails the entry and stays as it was.
 */

export const HYPERDRIVE = HYPERDRIVE_FIELD.key

type Config = Awaited<ReturnType<typeof readHyperdriveConfig>>

const usedBy = (config: Config, role: HyperdriveData['role']): string | undefined =>
  role === 'client' ? config.clientCertificateId : config.caCertificateId

export const hyperdrive: UseTarget<Config[], HyperdriveData> = {
  name: HYPERDRIVE,
  unfinished: 'sets it on the Hyperdrive configs',
  field: HYPERDRIVE_FIELD,
  appliesTo: (entry) => configsOf(entry.spec.uses).length > 0,

  observe: (entry, _certificate, context) =>
    Promise.all(configsOf(entry.spec.uses).map((config) => readHyperdriveConfig(context.api, config))),

  plan(entry, _certificate, configs) {
    const role = entry.spec.ca ? 'ca' : 'client'
    const data: HyperdriveData = {
      role,
      configs: configs.map((config) => {
        const now = usedBy(config, role)
        return { id: config.id, name: config.name, ...(now ? { now } : {}) }
      }),
    }
    return [{ target: HYPERDRIVE, action: 'set-certificate', when: 'now', data }]
  },

  // Read again right before: another run (or a person) may have changed the config since the plan.
  async apply(step: Step<HyperdriveData>, state, context): Promise<HyperdriveDone> {
    const { id } = placedOf(state).certificate
    const done: HyperdriveDone = []
    for (const { id: configId } of step.data.configs) {
      const config = await readHyperdriveConfig(context.api, configId)
      const was = usedBy(config, step.data.role)
      if (was !== id) await setHyperdriveCertificate(context.api, config, step.data.role, id)
      done.push({ id: configId, name: config.name, ...(was ? { was } : {}), changed: was !== id })
    }
    return done
  },

  report: (step, outcome, certificateId) =>
    reportHyperdrive(step, outcome as HyperdriveDone | undefined, certificateId),

  // The configs use the older certificate until this job moves them: read before a delete, and, in a
  // plan's forecast, counted on to move (apply sets them before it retires anything).
  retireGuard: (_entry, steps: readonly Step<HyperdriveData>[]) => {
    const data = steps[0]?.data
    return data ? { moves: data.configs.map((config) => hyperdriveUse(config.id, data.role)) } : undefined
  },

  retireReads(saved, _newId, context) {
    const moves = (saved as { moves?: unknown } | null)?.moves
    if (!Array.isArray(moves) || !moves.every((move) => typeof move === 'string'))
      return 'its Hyperdrive configs are not as saved'
    // Read afresh for each retire, not the step's shared read: another entry's apply moves its configs.
    const check = workerCheck(context.api, [], { ...NO_OTHER_CONSUMERS, hyperdrive: true })
    return { ...(check ? { alsoUsedBy: [check] } : {}), ...(context.forecast ? { movedByDeploy: new Set(moves) } : {}) }
  },
}
