// Backend requests one connect costs, on a fake clock: a user who spends 5 s … 30 min on the
// consent page, with the callback fast path (the callback page signals the moment the user
// finishes) and with polling only; one flow alone, and a page with 10 buttons and a list.
import { act, fireEvent, render, screen } from '@testing-library/react'
import { SWRConfig } from 'swr'
import { vi } from 'vitest'
import { createConnectClient, SetupFlow } from '../src/core/index.js'
import { MESSAGE_TYPE, STATE_PARAM } from '../src/core/protocol.js'
import { ConnectionsList, ConnectProvider, ProviderConnectButton } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import type { FlowEnvironment } from '../src/core/index.js'
import type { MockBackend, MockOperation } from '../src/testing/index.js'
import { createFakeBrowser } from '../test/fake-environment.js'

export const CONSENT_TIMES = [
  { label: '5 s', ms: 5_000 },
  { label: '30 s', ms: 30_000 },
  { label: '5 min', ms: 5 * 60_000 },
  { label: '30 min', ms: 30 * 60_000 },
]

/** Longer than the longest consent, so the 30-minute user still completes. */
const SESSION_LIFETIME = 60 * 60_000
/** How long after the completion we keep the clock running while waiting for `onConnected`. */
const NOTICE_LIMIT = 5 * 60_000
const STEP = 50

export interface RequestCount {
  create: number
  status: number
  list: number
  total: number
  /** Fake-clock ms from the backend completing to `onConnected`. */
  noticedAfterMs: number
  /**
   * The gap between the last status check before the completion and the next one: how long a user
   * finishing right after a check would wait without the fast path (0 when no check was needed).
   */
  pollGapMs: number
}

/** Records when each status check reaches the backend. */
function timeStatusChecks(backend: MockBackend): number[] {
  const times: number[] = []
  const getSetupSession = backend.getSetupSession.bind(backend)
  backend.getSetupSession = (...args) => {
    times.push(Date.now())
    return getSetupSession(...args)
  }
  return times
}

/** The requests made, and the timing around the completion at `completedAt`. */
function measured(backend: MockBackend, checks: number[], completedAt: number, noticedAfterMs: number): RequestCount {
  const before = checks.filter(time => time < completedAt).pop()
  const after = checks.find(time => time >= completedAt)
  const pollGapMs = before === undefined || after === undefined ? 0 : after - before
  return { ...countOf(backend), noticedAfterMs, pollGapMs }
}

function countOf(backend: MockBackend): Omit<RequestCount, 'noticedAfterMs' | 'pollGapMs'> {
  const count = (operation: MockOperation) => backend.count(operation)
  const create = count('createSetupSession')
  const status = count('getSetupSession')
  const list = count('listConnections')
  return { create, status, list, total: create + status + list + count('removeConnection') }
}

async function untilConnected(connected: () => boolean, advance: (ms: number) => Promise<unknown>): Promise<number> {
  // A signal handled within the same turn counts as 0 ms.
  await advance(0)
  let waited = 0
  while (!connected()) {
    if (waited >= NOTICE_LIMIT) throw new Error(`onConnected did not fire within ${NOTICE_LIMIT} ms of the completion`)
    await advance(STEP)
    waited += STEP
  }
  return waited
}

/** One `SetupFlow` in a popup: requests from `start()` to `onConnected`. */
export async function flowRequests(consentMs: number, fastPath: boolean): Promise<RequestCount> {
  vi.useFakeTimers()
  try {
    const backend = createMockBackend({ lifetimeMs: SESSION_LIFETIME })
    const checks = timeStatusChecks(backend)
    const environment = { ...createFakeBrowser().environment, openChannel: () => null }
    let connected = false
    const flow = new SetupFlow({
      backend,
      providerId: 'slack',
      client: createConnectClient({ environment }),
      redirectUrl: fastPath ? 'https://app.example.com/connect/callback' : undefined,
      environment,
      onConnected: () => {
        connected = true
      },
    })
    flow.start()
    await vi.advanceTimersByTimeAsync(consentMs)
    backend.complete()
    const completedAt = Date.now()
    if (fastPath) flow.check()
    const noticedAfterMs = await untilConnected(() => connected, ms => vi.advanceTimersByTimeAsync(ms))
    flow.cancel()
    return measured(backend, checks, completedAt, noticedAfterMs)
  } finally {
    vi.useRealTimers()
  }
}

/** A fake browser whose callback page can answer with `postMessage` (the fast path). */
export function fastPathEnvironment() {
  const browser = createFakeBrowser()
  const messageListeners = new Set<(data: unknown, origin: string) => void>()
  const environment: Partial<FlowEnvironment> = {
    ...browser.environment,
    openChannel: () => null,
    onMessage: listener => {
      messageListeners.add(listener)
      return () => messageListeners.delete(listener)
    },
  }
  /** What the callback page does when the provider sends the user back. */
  const signalCompletion = (backend: MockBackend) => {
    const input = backend.calls.find(call => call.operation === 'createSetupSession')?.argument as { redirectUrl?: string } | undefined
    const state = input?.redirectUrl ? new URL(input.redirectUrl).searchParams.get(STATE_PARAM) : null
    if (!state) throw new Error('the session was created without a connect_state to answer with')
    act(() => {
      for (const listener of [...messageListeners]) listener({ type: MESSAGE_TYPE, state }, 'https://app.example.com')
    })
  }
  return { environment, browser, signalCompletion }
}

const PAGE_PROVIDERS = Array.from({ length: 10 }, (_, i) => ({ providerId: `provider-${i}`, name: `Provider ${i}` }))

/**
 * A settings page with 10 `ProviderConnectButton`s and a `ConnectionsList` of the same 10
 * providers: requests from the first render to `onConnected` of the one button the user clicks,
 * plus 5 s after it (the list reloading). The fast path is the callback page's `postMessage`.
 */
export async function pageRequests(consentMs: number, fastPath: boolean): Promise<RequestCount> {
  vi.useFakeTimers()
  const backend = createMockBackend({ lifetimeMs: SESSION_LIFETIME })
  const checks = timeStatusChecks(backend)
  const { environment, signalCompletion } = fastPathEnvironment()
  let connected = false
  const view = render(
    <SWRConfig value={{ provider: () => new Map() }}>
      <ConnectProvider
        backend={backend}
        client={createConnectClient({ environment })}
        redirectUrl={fastPath ? 'https://app.example.com/connect/callback' : undefined}
        environment={environment}
      >
        {PAGE_PROVIDERS.map(provider => (
          <ProviderConnectButton
            key={provider.providerId}
            providerId={provider.providerId}
            providerName={provider.name}
            onConnected={() => {
              connected = true
            }}
          />
        ))}
        <ConnectionsList providers={PAGE_PROVIDERS} />
      </ConnectProvider>
    </SWRConfig>,
  )
  const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))
  try {
    await advance(0)
    // The standalone button comes first; the list's row for the same provider has the same name.
    const [button] = screen.getAllByRole('button', { name: /^Connect Provider 0 \(opens/ })
    if (!button) throw new Error('no button for Provider 0')
    fireEvent.click(button)
    await advance(consentMs)
    backend.complete()
    const completedAt = Date.now()
    if (fastPath) signalCompletion(backend)
    const noticedAfterMs = await untilConnected(() => connected, advance)
    await advance(5_000)
    return measured(backend, checks, completedAt, noticedAfterMs)
  } finally {
    view.unmount()
    vi.useRealTimers()
  }
}
