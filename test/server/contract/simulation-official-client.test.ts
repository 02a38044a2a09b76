// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createMetorialSimulation } from '../../../src/simulation/index.js'
import { differences, officialType } from './official-types.js'
import { report, surveySimulation } from './simulation-survey.js'

/**
 * The simulation, driven by Metorial's official generated client (`@metorial/generated`, pinned):
 * every answer maps through the official `transformFrom` with every field the official output type
 * declares, of the declared type and enum, and every official call the real API accepts is accepted
 * (filters, cursors and order applied): 0 omitted, 0 differences, 0 refused.
 */
describe("the simulation under Metorial's official client", () => {
  it('omits no declared field, shows no shape or enum difference, and refuses no official call', async () => {
    const result = await surveySimulation()
    // Every endpoint of the survey ran, so a zero is not a survey that stopped early.
    expect(result.calls).toBe(39)
    expect(report(result)).toBe('')
    expect({ omitted: result.omitted.length, shape: result.shape.length, refused: result.refused.length }).toEqual({ omitted: 0, shape: 0, refused: 0 })
  })

  it('the checker itself catches an omitted field, an enum outside the declared ones, a wrong type and an unmapped snake_case field', () => {
    const type = officialType('mt_2026_01_01_magnetar', 'DashboardInstanceProviderDeploymentsAuthCredentialsGetOutput')
    const found = differences(
      { object: 'provider.auth_credentials', id: 'par_1', type: 'api_key', isDefault: 'no', name: null, description: null, metadata: {}, providerId: 'slack', createdAt: new Date(0), client_id: 'x' },
      type,
    )
    expect(found.map(item => `${item.problem} ${item.path}`).sort()).toEqual(['omitted $.updatedAt', 'shape $.client_id', 'shape $.isDefault', 'shape $.type'])
  })

  it('routes by API version, as Metorial does: provider-oauth only under pulsar, the rest only under magnetar', async () => {
    const sim = createMetorialSimulation({ apiKey: 'k', publicBaseUrl: 'http://metorial.test' })
    const send = (method: string, path: string, version: string, body?: unknown) =>
      sim.handle(new Request(`http://metorial.test${path}`, { method, headers: { authorization: 'Bearer k', 'metorial-version': version, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }))
    expect((await send('POST', '/provider-oauth/sessions', '2025-01-01-pulsar', { server_deployment_id: 'svd_slack' })).status).toBe(200)
    expect((await send('POST', '/provider-oauth/sessions', 'mt_2025_01_01_pulsar', { connection_id: 'soac_slack' })).status).toBe(200)
    expect((await send('POST', '/provider-oauth/sessions', 'mt_2026_01_01_magnetar', { server_deployment_id: 'svd_slack' })).status).toBe(404)
    expect((await send('GET', '/provider-setup-sessions', '2025-01-01-pulsar')).status).toBe(404)
    expect((await send('GET', '/provider-setup-sessions', '2026-01-01-magnetar')).status).toBe(200)
    expect((await send('GET', '/provider-setup-sessions', 'mt_2024_01_01_nebula')).status).toBe(400)
    // Both or neither of the legacy create's alternatives is refused, as the official body type allows exactly one.
    expect((await send('POST', '/provider-oauth/sessions', 'pulsar', { server_deployment_id: 'svd_slack', connection_id: 'soac_slack' })).status).toBe(400)
    // No official client has a takeout route, so the simulation has none either.
    expect((await send('POST', '/provider-oauth/takeouts', 'pulsar', { oauth_session_id: 'soas_x' })).status).toBe(404)
  })
})
