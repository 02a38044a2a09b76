import { describe, expect, it } from 'vitest'
import type { SetupFlowOptions } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest } from './flow-harness.js'

/** The click (`start()`): one click, one session; what it opens and creates. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

describe('given a click on connect', () => {
  it('opens the popup synchronously, before the session exists, then sends it to the consent page', async () => {
    const { flow } = makeFlow()
    flow.start()
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
    expect(browser.openWindow.mock.calls[0]?.[0]).toBe('about:blank')
    expect(browser.openWindow.mock.calls[0]?.[2]).toContain('popup=yes')
    expect(flow.getState()).toMatchObject({ status: 'creating', session: null })

    await flush()
    const session = backend.lastSession()
    expect(flow.getState().status).toBe('pending')
    expect(flow.getState().session?.id).toBe(session?.id)
    expect(browser.popup?.url).toBe(session?.url)
  })

  it('creates the session with the oauth method by default and the options given', async () => {
    const { flow } = makeFlow({ providerDeploymentId: 'pde_1', metadata: { team: 'a' } })
    flow.start()
    await flush()
    expect(backend.calls[0]).toEqual({
      operation: 'createSetupSession',
      argument: { providerId: 'slack', providerAuthMethodId: 'oauth', providerDeploymentId: 'pde_1', metadata: { team: 'a' } },
    })
  })

  it('sends replacesConnectionId with create when reconnecting in place', async () => {
    backend.addConnection({ id: 'pac_old', providerId: 'slack', status: 'revoked' })
    const { flow } = makeFlow({ replacesConnectionId: 'pac_old' })
    flow.start()
    await flush()
    expect(backend.calls[0]).toEqual({
      operation: 'createSetupSession',
      argument: { providerId: 'slack', providerAuthMethodId: 'oauth', replacesConnectionId: 'pac_old' },
    })
  })

  it('binds redirectUrl to this attempt with a connect_state parameter, keeping the query and hash', async () => {
    const { flow } = makeFlow({ redirectUrl: '/oauth/done?tab=apps#top' })
    flow.start()
    await flush()
    const input = backend.calls[0]?.argument as { redirectUrl: string }
    const url = new URL(input.redirectUrl)
    expect(url.origin + url.pathname).toBe('https://app.example.com/oauth/done')
    expect(url.searchParams.get('tab')).toBe('apps')
    expect(url.searchParams.get('connect_state')).toMatch(/^[0-9a-f]{32}$/)
    expect(url.hash).toBe('#top')
  })

  it('focuses the open popup instead of creating a second session on a second click', async () => {
    const { flow, events } = makeFlow()
    flow.start()
    flow.start()
    await flush()
    flow.start()
    expect(backend.count('createSetupSession')).toBe(1)
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
    expect(browser.popup?.focus).toHaveBeenCalledTimes(1)
    expect(events.some(event => event.type === 'popup_focused')).toBe(true)
  })
})
