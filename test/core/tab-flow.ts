/** What the redirect and callback tests share: a flow in a simulated tab (storage, channels, opener) over a mock backend. */
import { expect, vi } from 'vitest'
import { createSetupFlow, STATE_PARAM } from '../../src/core/index.js'
import type { SetupFlowEvent, SetupFlowOptions } from '../../src/core/index.js'
import { MESSAGE_TYPE, REDIRECT_KEY_PREFIX } from '../../src/core/protocol.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import { APP_ORIGIN, createTab } from '../callback-harness.js'
import type { Tab } from '../callback-harness.js'

export const REDIRECT_KEY = `${REDIRECT_KEY_PREFIX}slack`
export const CALLBACK_PAGE = `${APP_ORIGIN}/oauth/done?from=settings#finish`

export function setup(options: Partial<SetupFlowOptions> & { tab?: Tab; backend?: MockBackend } = {}) {
  const tab = options.tab ?? createTab()
  const backend = options.backend ?? createMockBackend()
  const onConnected = vi.fn()
  const onStatusChange = vi.fn()
  const events: SetupFlowEvent[] = []
  const flow = createSetupFlow({
    providerId: 'slack',
    redirectUrl: CALLBACK_PAGE,
    pollInterval: 5000,
    maxPollInterval: 5000,
    onConnected,
    onStatusChange,
    onEvent: event => events.push(event),
    ...options,
    backend,
    environment: tab.environment,
  })
  const unsubscribe = flow.subscribe(() => {})
  return { tab, backend, flow, onConnected, onStatusChange, events, unsubscribe }
}

/** The `connect_state` the flow put into the `redirectUrl` it sent to the backend. */
export function stateSent(backend: MockBackend): string {
  const input = backend.calls.find(call => call.operation === 'createSetupSession')?.argument as { redirectUrl: string }
  return new URL(input.redirectUrl).searchParams.get(STATE_PARAM) as string
}

export async function startPending(options: Parameters<typeof setup>[0] = {}, createTakes = 0) {
  const context = setup(options)
  context.flow.start()
  await vi.advanceTimersByTimeAsync(createTakes)
  expect(context.flow.getState().status).toBe('pending')
  return { ...context, state: stateSent(context.backend) }
}

export const signal = (state: string) => ({ type: MESSAGE_TYPE, state })
