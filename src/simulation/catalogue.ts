/**
 * The simulation's catalogue routes, in Metorial's wire format: provider deployments, providers,
 * listings (read by id, slug or provider id, as Metorial does) and auth methods by provider version.
 */
import { drawLogo, SIMULATION_CATALOGUE, type SimulatedProvider } from './catalogue-data.js'

type Json = Record<string, unknown>

export interface CatalogueDeps {
  now: () => number
  /** Known providers by id (the simulation's `providers` option), or undefined for the built-in forty. */
  providers: Record<string, { name: string; authMethod?: 'oauth' | 'token' | 'api_key' }> | undefined
  json: (status: number, body: unknown) => Response
  error: (status: number, code: string, message: string) => Response
}

function slugCategory(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

export function createCatalogueRoutes(deps: CatalogueDeps) {
  // The catalogue is fixed when the simulation starts, like an instance's deployments between two deploys.
  const at = new Date(deps.now()).toISOString()
  const catalogue: SimulatedProvider[] = deps.providers
    ? Object.entries(deps.providers).map(([id, info]) => {
        const known = SIMULATION_CATALOGUE.find(item => item.id === id)
        const auth: SimulatedProvider['auth'] = info.authMethod === 'token' || info.authMethod === 'api_key' ? ['token'] : ['oauth']
        return known ? { ...known, name: info.name, auth: known.auth.length === 0 ? [] : auth } : { id, name: info.name, description: '', categories: [], color: null, auth }
      })
    : [...SIMULATION_CATALOGUE]

  const version = (provider: SimulatedProvider) => `pver_${provider.id}`
  const find = (key: string) => catalogue.find(item => item.id === key || `plst_${item.id}` === key)

  function wireProvider(provider: SimulatedProvider): Json {
    return {
      object: 'provider',
      id: provider.id,
      access: 'public',
      status: 'active',
      publisher: { object: 'provider.publisher', id: `ppub_${provider.id}`, name: provider.name, description: null, image_url: drawLogo(provider), created_at: at, updated_at: at },
      current_version: {
        object: 'provider.version',
        id: version(provider),
        version: '1.0.0',
        provider_id: provider.id,
        is_current: true,
        name: provider.name,
        description: null,
        metadata: null,
        specification_id: null,
        created_at: at,
        updated_at: at,
      },
      oauth: provider.auth.includes('oauth') ? { status: 'enabled', callback_url: null, auto_registration: { status: 'unsupported' } } : null,
      identifier: provider.id,
      name: provider.name,
      description: provider.description || null,
      slug: provider.id,
      metadata: null,
      created_at: at,
      updated_at: at,
    }
  }

  function wireListing(provider: SimulatedProvider): Json {
    return {
      object: 'provider.listing',
      id: `plst_${provider.id}`,
      attributes: { is_public: true, is_customized: false, is_metorial: false, is_verified: true, is_official: true },
      name: provider.name,
      description: provider.description || null,
      slug: provider.id,
      image_url: drawLogo(provider),
      readme: null,
      skills: [],
      provider: wireProvider(provider),
      categories: provider.categories.map(name => ({
        object: 'provider.listing_category',
        id: `pcat_${slugCategory(name)}`,
        name,
        description: name,
        slug: slugCategory(name),
        created_at: at,
        updated_at: at,
      })),
      collections: [],
      groups: [],
      created_at: at,
      updated_at: at,
    }
  }

  function wireDeployment(provider: SimulatedProvider): Json {
    return {
      object: 'provider.deployment',
      id: `pde_${provider.id}`,
      is_default: true,
      name: null,
      description: null,
      metadata: null,
      provider_id: provider.id,
      locked_version: null,
      default_config: null,
      created_at: at,
      updated_at: at,
    }
  }

  function wireAuthMethod(provider: SimulatedProvider, type: SimulatedProvider['auth'][number]): Json {
    return {
      object: 'provider.capabilities.auth_method',
      id: `pam_${provider.id}_${type}`,
      type,
      key: type,
      name: type === 'oauth' ? `Sign in with ${provider.name}` : type === 'token' ? 'API token' : 'Custom credentials',
      description: null,
      capabilities: {},
      input_schema: null,
      output_schema: null,
      scopes: null,
      provider_id: provider.id,
      provider_specification_id: `pspec_${provider.id}`,
      created_at: at,
      updated_at: at,
    }
  }

  /** Metorial's pagination: `limit` 1 to 100 (20 when absent), `after` a cursor id. */
  function page(all: Json[], url: URL): Response {
    const given = url.searchParams.get('limit')
    const limit = given === null ? 20 : Number(given)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return deps.error(400, 'invalid_data', 'limit must be an integer from 1 to 100.')
    const after = url.searchParams.get('after')
    const start = after ? all.findIndex(item => item.id === after) + 1 : 0
    return deps.json(200, {
      items: all.slice(start, start + limit),
      pagination: { has_more_before: start > 0, has_more_after: start + limit < all.length },
    })
  }

  /** Answers a catalogue route, or null when the path is another one. */
  function route(request: Request, url: URL, segments: string[]): Response | null {
    if (request.method !== 'GET') return null
    const [collection, id, extra] = segments
    if (extra !== undefined) return null
    switch (collection) {
      case 'provider-deployments':
        if (id !== undefined) {
          const provider = catalogue.find(item => `pde_${item.id}` === id)
          return provider ? deps.json(200, wireDeployment(provider)) : deps.error(404, 'not_found', `Provider deployment ${id} not found.`)
        }
        return page(url.searchParams.get('status') === 'archived' ? [] : catalogue.map(wireDeployment), url)
      case 'providers': {
        if (id === undefined) return page(catalogue.map(wireProvider), url)
        const provider = find(id)
        return provider ? deps.json(200, wireProvider(provider)) : deps.error(404, 'not_found', `Provider ${id} not found.`)
      }
      case 'provider-listings': {
        if (id === undefined) return page(catalogue.map(wireListing), url)
        const provider = find(id)
        return provider ? deps.json(200, wireListing(provider)) : deps.error(404, 'not_found', `Provider listing ${id} not found.`)
      }
      case 'provider-auth-methods': {
        if (id !== undefined) return null
        const versionId = url.searchParams.get('provider_version_id')
        if (!versionId) return deps.error(400, 'invalid_data', 'provider_version_id is required.')
        const provider = catalogue.find(item => version(item) === versionId)
        if (!provider) return deps.error(404, 'not_found', `Provider version ${versionId} not found.`)
        return page(provider.auth.map(type => wireAuthMethod(provider, type)), url)
      }
      default:
        return null
    }
  }

  return { route }
}
