/**
 * The routes of Metorial's official generated client, read off the client itself: each endpoint
 * method is called once with placeholder ids against a fetch that only records, so the table is
 * the client's own paths and methods, not ours. Each route also knows the wire names its body may
 * carry: the official `transformTo` applied to a value holding every field the body type declares.
 */
import { officialClients, SDK_VERSION_HEADER, magnetar, pulsar } from './official-client.js'
import { officialType, sampleOf, type ApiVersion } from './official-types.js'

export interface OfficialRoute {
  name: string
  version: ApiVersion
  method: string
  pattern: RegExp
  /** The wire body the official `transformTo` produces from every declared field, or null for no body. */
  body: unknown
}

const ID = 'ID_PLACEHOLDER'
type Mapper = { transformTo(input: unknown): unknown }

export async function officialRoutes(): Promise<OfficialRoute[]> {
  let last: { method: string; path: string } | undefined
  const record = async (request: Request) => {
    last = { method: request.method, path: new URL(request.url).pathname }
    return new Response('{}', { headers: { 'content-type': 'application/json' } })
  }
  const c = officialClients(record, 'key')
  const M: ApiVersion = 'mt_2026_01_01_magnetar'
  const P: ApiVersion = 'mt_2025_01_01_pulsar'
  const body = (version: ApiVersion, type: string, mapper: Mapper) => mapper.transformTo(sampleOf(officialType(version, type)))
  const D = 'DashboardInstanceProviderDeployments'
  const calls: Array<[string, ApiVersion, () => Promise<unknown>, unknown]> = [
    ['setupSessions.create', M, () => c.setupSessions.create({} as never), body(M, `${D}SetupSessionsCreateBody`, magnetar.mapDashboardInstanceProviderDeploymentsSetupSessionsCreateBody)],
    ['setupSessions.get', M, () => c.setupSessions.get(ID), null],
    ['setupSessions.list', M, () => c.setupSessions.list(), null],
    ['setupSessions.update', M, () => c.setupSessions.update(ID, {}), body(M, `${D}SetupSessionsUpdateBody`, magnetar.mapDashboardInstanceProviderDeploymentsSetupSessionsUpdateBody)],
    ['setupSessions.delete', M, () => c.setupSessions.delete(ID), null],
    ['authConfigs.list', M, () => c.authConfigs.list(), null],
    ['authConfigs.get', M, () => c.authConfigs.get(ID), null],
    ['authConfigs.delete', M, () => c.authConfigs.delete(ID), null],
    ['exports.create', M, () => c.exports.create({} as never), body(M, `${D}AuthConfigsExportsCreateBody`, magnetar.mapDashboardInstanceProviderDeploymentsAuthConfigsExportsCreateBody)],
    ['imports.create', M, () => c.imports.create({} as never), body(M, `${D}AuthConfigsImportsCreateBody`, magnetar.mapDashboardInstanceProviderDeploymentsAuthConfigsImportsCreateBody)],
    ['authCredentials.create', M, () => c.authCredentials.create({} as never), body(M, `${D}AuthCredentialsCreateBody`, magnetar.mapDashboardInstanceProviderDeploymentsAuthCredentialsCreateBody)],
    ['oauthSessions.create', P, () => c.oauthSessions.create({} as never), body(P, 'DashboardInstanceProviderOauthSessionsCreateBody', pulsar.mapDashboardInstanceProviderOauthSessionsCreateBody)],
    ['oauthSessions.get', P, () => c.oauthSessions.get(ID), null],
    ['oauthSessions.delete', P, () => c.oauthSessions.delete(ID), null],
  ]
  const routes: OfficialRoute[] = []
  for (const [name, version, run, wire] of calls) {
    last = undefined
    await run()
    const sent = last as { method: string; path: string } | undefined
    if (!sent) throw new Error(`${name} sent nothing`)
    const { method, path } = sent
    const pattern = new RegExp(`^${path.replaceAll(ID, '[^/]+')}$`)
    routes.push({ name, version, method, pattern, body: wire })
  }
  return routes
}

/** The `Metorial-Version` values a call may carry for each client: the SDK's, and the `mt_` form every platform version accepts (METORIAL.md). */
export const ACCEPTED_VERSIONS: Record<ApiVersion, string[]> = {
  mt_2026_01_01_magnetar: [SDK_VERSION_HEADER.magnetar, 'mt_2026_01_01_magnetar'],
  mt_2025_01_01_pulsar: [SDK_VERSION_HEADER.pulsar],
}

/**
 * Wire fields of `sent` the official body does not have, as paths (`config.extra`). Inside a field
 * the official type leaves open (`Record<string, any>`: metadata, value) anything goes.
 */
export function unknownFields(sent: unknown, official: unknown, path = ''): string[] {
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return []
  if (typeof official !== 'object' || official === null || Array.isArray(official)) return [path || '$']
  if ('__any' in official) return []
  const out: string[] = []
  for (const [key, value] of Object.entries(sent)) {
    const where = path ? `${path}.${key}` : key
    if (!(key in official)) out.push(where)
    else out.push(...unknownFields(value, (official as Record<string, unknown>)[key], where))
  }
  return out
}
