import { parseHostnames, parseZoneId } from '../api-shield/settings.ts'
import { parseChoice } from '../action/input-parsers.ts'
import { SWAP_CHOICES, type StoreScope } from '../certificate/spec.ts'

/**
 * The single step's inputs for Access and origin pulls: `zone-id` and `hostnames` where set (the
 * rules of certificate/rules.ts say which a store needs), and `swap`.
 */
export function storeScopeOf(read: (name: string) => string): StoreScope {
  const zone = read('zone-id')
  const hostnames = read('hostnames')
  const swap = read('swap')
  return {
    hostnames: hostnames ? parseHostnames(hostnames) : [],
    ...(zone ? { zoneId: parseZoneId(zone) } : {}),
    ...(swap ? { swap: parseChoice('swap', swap, SWAP_CHOICES) } : {}),
  }
}
