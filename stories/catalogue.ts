/** The simulation's forty providers as a mock backend's catalogue, logos drawn in the browser (no network). */
import type { ProviderInfo } from '../src/index.js'
import { drawLogo, SIMULATION_CATALOGUE } from '../src/simulation/catalogue-data.js'

export const STORY_CATALOGUE: ProviderInfo[] = SIMULATION_CATALOGUE.map(provider => ({
  providerId: provider.id,
  providerDeploymentId: `pde_${provider.id}`,
  name: provider.name,
  description: provider.description,
  logoUrl: drawLogo(provider) || null,
  categories: provider.categories,
  authMethods: provider.auth.map(type => ({ id: `pam_${provider.id}_${type}`, type, name: type === 'oauth' ? `Sign in with ${provider.name}` : 'API token' })),
  requiresConnection: provider.auth.length > 0,
}))
