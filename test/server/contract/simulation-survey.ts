/**
 * Metorial's official generated client drives the simulation through every endpoint this library
 * or a host developer uses, the way the real API is called. Each answer, already mapped by the
 * official `transformFrom`, is walked against the output type the official `.d.ts` declares.
 *
 * Three counts come out, each of which must be 0: fields the simulation omits, shape or enum
 * differences, and official calls the simulation refuses (an error, or a filter, cursor or order
 * it ignores where the real API applies it).
 */
import { createMetorialSimulation } from '../../../src/simulation/index.js'
import { officialClients } from './official-client.js'
import { differences, officialType, type ApiVersion, type Difference } from './official-types.js'

const MAGNETAR: ApiVersion = 'mt_2026_01_01_magnetar'
const PULSAR: ApiVersion = 'mt_2025_01_01_pulsar'
const KEY = 'metorial_sk_contract_0123456789'

export interface SurveyResult {
  calls: number
  omitted: Difference[]
  shape: Difference[]
  refused: string[]
}

export async function surveySimulation(): Promise<SurveyResult> {
  const sim = createMetorialSimulation({
    apiKey: KEY,
    publicBaseUrl: 'http://metorial.test',
    providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' } },
    serverDeployments: { svd_slack: 'slack' },
  })
  const official = officialClients(request => sim.handle(request), KEY)
  const result: SurveyResult = { calls: 0, omitted: [], shape: [], refused: [] }

  /** One official call: its answer must map to `type`, and `check` says what the real API would have done. */
  async function call<T>(name: string, version: ApiVersion, type: string, run: () => Promise<T>, check?: (output: T) => string | null): Promise<T | undefined> {
    result.calls++
    let output: T
    try {
      output = await run()
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      result.refused.push(`${name}: ${detail}`)
      return undefined
    }
    for (const found of differences(output, officialType(version, type), name)) (found.problem === 'omitted' ? result.omitted : result.shape).push(found)
    const wrong = check?.(output) ?? null
    if (wrong !== null) result.refused.push(`${name}: ${wrong}`)
    return output
  }
  const ids = (output: { items: { id: string }[] }) => output.items.map(item => item.id)
  const T = (resource: string, operation: string) => `DashboardInstanceProviderDeployments${resource}${operation}Output`

  // BYO OAuth app first: sessions below use it.
  const credentials = await call('authCredentials.create', MAGNETAR, T('AuthCredentials', 'Create'), () =>
    official.authCredentials.create({ providerId: 'github', name: 'Acme', config: { clientId: 'client', clientSecret: 'secret', scopes: ['chat:write'] } }),
  )
  if (credentials) {
    await call('authCredentials.get', MAGNETAR, T('AuthCredentials', 'Get'), () => official.authCredentials.get(credentials.id))
    await call('authCredentials.list', MAGNETAR, T('AuthCredentials', 'List'), () => official.authCredentials.list({ providerId: 'github' }), out =>
      ids(out).includes(credentials.id) ? null : 'the new credentials are not listed',
    )
  }

  const first = await call('setupSessions.create', MAGNETAR, T('SetupSessions', 'Create'), () =>
    official.setupSessions.create({ providerId: 'slack', name: 'Work Slack', description: 'for alerts', metadata: { user: 'alice' }, redirectUrl: 'http://app.test/cb' }),
    out => (out.description === 'for alerts' && out.name === 'Work Slack' ? null : 'name or description not kept'),
  )
  const second = await call('setupSessions.create (deployment, method, credentials)', MAGNETAR, T('SetupSessions', 'Create'), () =>
    official.setupSessions.create({ providerId: 'github', providerDeploymentId: 'pde_github', providerAuthMethodId: 'oauth', ...(credentials ? { providerAuthCredentialsId: credentials.id } : {}) }),
    out => (out.deployment?.id === 'pde_github' && (!credentials || out.credentials?.id === credentials.id) ? null : 'deployment or credentials not kept'),
  )
  if (!first || !second) return result
  await call('setupSessions.get', MAGNETAR, T('SetupSessions', 'Get'), () => official.setupSessions.get(first.id))
  await call('setupSessions.update', MAGNETAR, T('SetupSessions', 'Update'), () => official.setupSessions.update(first.id, { name: 'Renamed', description: 'changed', metadata: { user: 'alice', team: 'ops' } }), out =>
    out.name === 'Renamed' && out.description === 'changed' && out.metadata?.team === 'ops' ? null : 'the update was not applied',
  )
  const authConfigId = sim.complete(first.id)
  const completed = await call('setupSessions.get (completed)', MAGNETAR, T('SetupSessions', 'Get'), () => official.setupSessions.get(first.id), out =>
    out.status === 'completed' && out.authConfig?.id === authConfigId ? null : 'not completed with its auth config',
  )
  const third = await call('setupSessions.create (third)', MAGNETAR, T('SetupSessions', 'Create'), () => official.setupSessions.create({ providerId: 'slack' }))
  const all = [first.id, second.id, third?.id].filter((id): id is string => typeof id === 'string')
  await call('setupSessions.list', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list(), out => (ids(out).join() === all.join() ? null : `ascending by id expected ${all.join()}, got ${ids(out).join()}`))
  await call('setupSessions.list order=desc', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ order: 'desc' }), out =>
    ids(out).join() === [...all].reverse().join() ? null : 'order=desc ignored',
  )
  await call('setupSessions.list limit + after', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ limit: 1, after: all[0] }), out =>
    ids(out).join() === all[1] && out.pagination.hasMoreBefore && out.pagination.hasMoreAfter ? null : `after: got ${ids(out).join()}`,
  )
  await call('setupSessions.list before', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ before: all[2] }), out =>
    ids(out).join() === all.slice(0, 2).join() ? null : `before ignored: got ${ids(out).join()}`,
  )
  await call('setupSessions.list cursor', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ limit: 1, cursor: all[0] }), out =>
    ids(out).join() === all[1] ? null : `cursor ignored: got ${ids(out).join()}`,
  )
  await call('setupSessions.list status[]', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ status: ['completed', 'failed'] }), out =>
    ids(out).join() === first.id ? null : `status array ignored: got ${ids(out).join()}`,
  )
  await call('setupSessions.list providerId', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ providerId: 'github' }), out =>
    ids(out).join() === second.id ? null : `provider_id ignored: got ${ids(out).join()}`,
  )
  await call('setupSessions.list providerAuthConfigId', MAGNETAR, T('SetupSessions', 'List'), () => official.setupSessions.list({ providerAuthConfigId: [authConfigId ?? 'none'] }), out =>
    ids(out).join() === first.id ? null : `provider_auth_config_id ignored: got ${ids(out).join()}`,
  )
  await call('setupSessions.delete', MAGNETAR, T('SetupSessions', 'Delete'), () => official.setupSessions.delete(second.id))

  if (completed?.authConfig) {
    const configId = completed.authConfig.id
    await call('authConfigs.list', MAGNETAR, T('AuthConfigs', 'List'), () => official.authConfigs.list({ providerId: 'slack', status: 'active' }), out =>
      ids(out).includes(configId) ? null : 'the new auth config is not listed',
    )
    await call('authConfigs.get', MAGNETAR, T('AuthConfigs', 'Get'), () => official.authConfigs.get(configId))
    await call('authConfigs.update', MAGNETAR, T('AuthConfigs', 'Update'), () => official.authConfigs.update(configId, { name: 'Ops Slack', description: 'alerts' }), out =>
      out.name === 'Ops Slack' && out.description === 'alerts' ? null : 'the update was not applied',
    )
    const exported = await call('exports.create', MAGNETAR, T('AuthConfigsExports', 'Create'), () => official.exports.create({ providerAuthConfigId: configId, note: 'to our vault' }), out =>
      out.authConfig?.id === configId && out.value !== null ? null : 'the export does not carry the config and its value',
    )
    if (exported) {
      await call('exports.get', MAGNETAR, T('AuthConfigsExports', 'Get'), () => official.exports.get(exported.id))
      await call('exports.list', MAGNETAR, T('AuthConfigsExports', 'List'), () => official.exports.list({ providerAuthConfigId: configId }), out =>
        ids(out).join() === exported.id ? null : `provider_auth_config_id ignored: got ${ids(out).join()}`,
      )
    }
    await call('imports.create by auth config', MAGNETAR, T('AuthConfigsImports', 'Create'), () => official.imports.create({ providerAuthConfigId: configId, note: 'rotate', value: { access_token: 't2' } }), out =>
      out.authConfig?.id === configId ? null : 'an import by provider_auth_config_id did not update that config',
    )
    await call('authConfigs.delete', MAGNETAR, T('AuthConfigs', 'Delete'), () => official.authConfigs.delete(configId), out => (out.status === 'archived' ? null : 'not archived'))
    await call('authConfigs.list status=archived', MAGNETAR, T('AuthConfigs', 'List'), () => official.authConfigs.list({ status: ['archived'] }), out =>
      ids(out).join() === configId ? null : `status filter: got ${ids(out).join()}`,
    )
  }
  await call('imports.create by provider', MAGNETAR, T('AuthConfigsImports', 'Create'), () => official.imports.create({ providerId: 'github', note: 'migrated', value: { access_token: 't' }, metadata: { user: 'bob' } }), out =>
    out.providerId === 'github' && out.authConfig.providerId === 'github' ? null : 'wrong provider',
  )
  const imported = await call('imports.create by deployment', MAGNETAR, T('AuthConfigsImports', 'Create'), () => official.imports.create({ providerDeploymentId: 'pde_github', note: 'migrated', value: { access_token: 't' } }), out =>
    out.providerDeploymentId === 'pde_github' ? null : 'the deployment is not kept',
  )
  if (imported) {
    await call('imports.get', MAGNETAR, T('AuthConfigsImports', 'Get'), () => official.imports.get(imported.id))
    await call('imports.list', MAGNETAR, T('AuthConfigsImports', 'List'), () => official.imports.list({ providerDeploymentId: 'pde_github' }), out =>
      ids(out).join() === imported.id ? null : `provider_deployment_id ignored: got ${ids(out).join()}`,
    )
  }
  await call('authConfigs.create (manual)', MAGNETAR, T('AuthConfigs', 'Create'), () => official.authConfigs.create({ providerAuthMethodId: 'pam_slack_oauth', name: 'Given tokens', value: { access_token: 'v' } }), out =>
    out.providerId === 'slack' && out.name === 'Given tokens' && out.source === 'manual' ? null : 'not a manual config of the method\'s provider',
  )
  if (credentials) {
    await call('authCredentials.update', MAGNETAR, T('AuthCredentials', 'Update'), () => official.authCredentials.update(credentials.id, { name: 'Acme Corp' }), out => (out.name === 'Acme Corp' ? null : 'the update was not applied'))
    await call('authCredentials.delete', MAGNETAR, T('AuthCredentials', 'Delete'), () => official.authCredentials.delete(credentials.id))
  }

  const legacy = await call('oauthSessions.create (server deployment)', PULSAR, 'DashboardInstanceProviderOauthSessionsCreateOutput', () =>
    official.oauthSessions.create({ serverDeploymentId: 'svd_slack', redirectUri: 'http://app.test/cb', metadata: { user: 'alice' } }),
  )
  const byConnection = await call('oauthSessions.create (connection)', PULSAR, 'DashboardInstanceProviderOauthSessionsCreateOutput', () =>
    official.oauthSessions.create({ connectionId: 'soac_slack_app' }),
    out => (out.connection?.id === 'soac_slack_app' ? null : 'the connection is not kept'),
  )
  if (legacy) {
    sim.oauthSessions.complete(legacy.id)
    await call('oauthSessions.get', PULSAR, 'DashboardInstanceProviderOauthSessionsGetOutput', () => official.oauthSessions.get(legacy.id), out => (out.status === 'completed' && out.completedAt instanceof Date ? null : 'not completed'))
    await call('oauthSessions.list', PULSAR, 'DashboardInstanceProviderOauthSessionsListOutput', () => official.oauthSessions.list({ limit: 1, order: 'desc' }), out =>
      byConnection && ids(out).join() === byConnection.id ? null : `order/limit ignored: got ${ids(out).join()}`,
    )
    await call('oauthSessions.delete', PULSAR, 'DashboardInstanceProviderOauthSessionsDeleteOutput', () => official.oauthSessions.delete(legacy.id))
  }
  return result
}

/** One line per difference, for a failing assertion's message. */
export function report(result: SurveyResult): string {
  return [...result.omitted, ...result.shape].map(item => `${item.problem} ${item.path}: ${item.detail}`).concat(result.refused.map(line => `refused ${line}`)).join('\n')
}
