import { SIMULATION_CATALOGUE } from '../src/simulation/index.js'
import type { ProviderInfo } from '../src/simulation/index.js'

/**
 * The providers the simulated instance deploys: the simulation's forty, so the page's catalogue
 * (`GET /api/connect/providers`) and the consent page agree. API-token providers connect with a
 * token, as in Metorial; a provider without auth methods (Exa) has nothing to connect.
 */
export const PLAYGROUND_PROVIDERS: Array<ProviderInfo & { providerId: string }> = SIMULATION_CATALOGUE.map(provider => ({
  providerId: provider.id,
  name: provider.name,
  ...(provider.auth[0] === 'token' ? { authMethod: 'token' as const } : {}),
}))
