import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../../src/core/index.js'
import type { ChannelHandle, ConnectBackend, SetupFlowOptions, SetupSession } from '../../src/core/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import type { FakeBrowser } from '../fake-environment.js'
import { createFakeBrowser } from '../fake-environment.js'
import { flowFor, flush, freshEachTest, singleSession } from './flow-harness.js'

/** The client flows share: completions handed over once, connections changed, isolation between clients. */

let browser: FakeBrowser
let backend: MockBackend
freshEachTest(fresh => ({ browser, backend } = fresh))

const makeFlow = (options: Partial<SetupFlowOptions> = {}) => flowFor(browser, backend, options)

/** The engine's small parts, each held to what the flow relies on (found by the mutation run). */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** BroadcastChannel-like hub: channels of one name hear each other's messages, not their own. */
function hub() {
  const open = new Set<{ name: string; listeners: Set<(event: { data: unknown }) => void> }>()
  const openChannel = (name: string): ChannelHandle => {
    const self = { name, listeners: new Set<(event: { data: unknown }) => void>() }
    open.add(self)
    return {
      postMessage: data => {
        for (const other of open) if (other !== self && other.name === name) for (const listener of other.listeners) listener({ data })
      },
      addEventListener: (_, listener) => self.listeners.add(listener),
      removeEventListener: (_, listener) => self.listeners.delete(listener),
      close: () => open.delete(self),
    }
  }
  return { openChannel, get open() { return open.size }, post: (data: unknown) => openChannel('react-provider-connect').postMessage(data) }
}


describe('clients', () => {
  function completedTwice(clientA: ReturnType<typeof createConnectClient>, clientB: ReturnType<typeof createConnectClient>) {
    const session: SetupSession = { id: 'pas_same', status: 'completed', url: 'https://consent.example.com/s', authConfig: { id: 'ac_same' } }
    const reused: ConnectBackend = { ...backend, createSetupSession: async () => ({ ...session, status: 'pending' }), getSetupSession: async () => session }
    const a = makeFlow({ backend: reused, client: clientA })
    const b = makeFlow({ backend: reused, client: clientB })
    return { a, b }
  }

  it('two clients never see each other’s completions', async () => {
    const { a, b } = completedTwice(createConnectClient(), createConnectClient())
    a.flow.start()
    b.flow.start()
    await vi.advanceTimersByTimeAsync(5000)
    expect(a.onConnected).toHaveBeenCalledTimes(1)
    expect(b.onConnected).toHaveBeenCalledTimes(1)
  })

  it('a completion removed anywhere on the client resets a completed flow to idle', async () => {
    const client = createConnectClient({ environment: { openChannel: () => null } })
    const { flow } = makeFlow({ client })
    flow.subscribe(() => {})
    flow.start()
    await flush()
    const authConfigId = backend.complete()
    await vi.advanceTimersByTimeAsync(5000)
    expect(flow.getState().status).toBe('completed')
    client.notifyConnectionsChanged({ removed: 'ac_other' })
    expect(flow.getState().status).toBe('completed')
    client.notifyConnectionsChanged({ removed: authConfigId })
    expect(flow.getState().status).toBe('idle')
  })
})

describe('a session id reused across flows', () => {
  it('a session id reused by a later, unrelated flow still reaches that flow\'s onConnected', async () => {
    for (let round = 0; round < 2; round++) {
      const server = singleSession()
      const onConnected = vi.fn()
      const flow = new SetupFlow({ backend: server.backend, providerId: 'slack', environment: createFakeBrowser().environment, onConnected })
      flow.start()
      await vi.advanceTimersByTimeAsync(1_000)
      server.complete()
      await vi.advanceTimersByTimeAsync(60_000)
      expect({ round, calls: onConnected.mock.calls.length }).toEqual({ round, calls: 1 })
      expect(onConnected.mock.calls[0]?.[0]).toBe('ac_1')
      flow.reset()
    }
  })
})

describe('createConnectClient', () => {
  it('tells only one listener per key, and every listener without one', () => {
    const client = createConnectClient({ environment: { openChannel: () => null } })
    const heard: string[] = []
    client.subscribeConnectionsChanged(() => heard.push('a1'), 'list-a')
    client.subscribeConnectionsChanged(() => heard.push('a2'), 'list-a')
    client.subscribeConnectionsChanged(() => heard.push('b'), 'list-b')
    client.subscribeConnectionsChanged(() => heard.push('free1'))
    client.subscribeConnectionsChanged(() => heard.push('free2'))
    client.notifyConnectionsChanged()
    expect(heard.sort()).toEqual(['a1', 'b', 'free1', 'free2'])
  })

  it('hears other tabs (with what was removed), not itself, and ignores anything else on the channel', () => {
    const channels = hub()
    const here = createConnectClient({ environment: { openChannel: channels.openChannel } })
    const heard = vi.fn()
    const stop = here.subscribeConnectionsChanged(heard)
    here.notifyConnectionsChanged({ removed: 'ac_1' })
    expect(heard).toHaveBeenCalledTimes(1)
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab', removed: 'ac_2' })
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab' })
    channels.post({ type: 'react-provider-connect:connections-changed', source: 'another-tab', removed: 42 })
    channels.post({ type: 'something-else', removed: 'ac_3' })
    channels.post(null)
    expect(heard.mock.calls.map(([change]) => change)).toEqual([{ removed: 'ac_1' }, { removed: 'ac_2' }, {}, {}])
    stop()
  })

  it('keeps one channel while anyone listens, and closes it with the last', () => {
    const channels = hub()
    const client = createConnectClient({ environment: { openChannel: channels.openChannel } })
    const first = client.subscribeConnectionsChanged(() => {})
    const second = client.subscribeConnectionsChanged(() => {})
    expect(channels.open).toBe(1)
    first()
    first()
    expect(channels.open).toBe(1)
    second()
    expect(channels.open).toBe(0)
  })

  it('claims a completion once, again after a new create under that id, and never after clear() forgets it twice', () => {
    const client = createConnectClient()
    expect(client.claimCompletion('pas_1')).toBe(true)
    expect(client.claimCompletion('pas_1')).toBe(false)
    client.sessionCreated('pas_1')
    expect(client.claimCompletion('pas_1')).toBe(true)
    client.clear()
    expect(client.claimCompletion('pas_1')).toBe(true)
  })

  it('keys each backend apart, the same backend the same, and two clients apart', () => {
    const a = createConnectClient()
    const b = createConnectClient()
    const one = {} as never
    const two = {} as never
    expect(a.connectionsKey(one)).toEqual(a.connectionsKey(one))
    expect(a.connectionsKey(one)).not.toEqual(a.connectionsKey(two))
    expect(a.connectionsKey(one)[0]).toBe('react-provider-connect:connections')
    expect(a.connectionsKey(one)[1]).not.toBe(b.connectionsKey(one)[1])
  })
})
