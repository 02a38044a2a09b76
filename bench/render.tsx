// Render cost, measured with React's <Profiler>: the commits one connect costs (one button, from
// the click to `onConnected`), and the time to mount a ConnectionsList of 200 providers.
//
// Vitest runs React's development build in jsdom, so these are dev-mode jsdom numbers: far slower
// than a production build in a browser, and only good for comparing one version of this library
// with another on the same machine. Commit counts do not depend on that.
import { act, fireEvent, render, screen } from '@testing-library/react'
import { Profiler } from 'react'
import type { ProfilerOnRenderCallback, ReactNode } from 'react'
import { SWRConfig } from 'swr'
import { vi } from 'vitest'
import { createConnectClient } from '../src/core/index.js'
import { ConnectionsList, ConnectProvider, ProviderConnectButton } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import type { FlowEnvironment } from '../src/core/index.js'
import type { MockBackend } from '../src/testing/index.js'
import { createFakeBrowser } from '../test/fake-environment.js'
import { fastPathEnvironment } from './requests.js'

export const NOTE =
  'React development build under vitest in jsdom: durations are dev-mode jsdom milliseconds (much slower than production in a browser), for comparing versions on one machine; commit counts do not depend on it.'

/**
 * Fake timers for the flow's polling and SWR, but not `performance`: React's Profiler times
 * commits with `performance.now()`, which must stay the real clock.
 */
const FAKED = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] as const

const CALLBACK_URL = 'https://app.example.com/connect/callback'
const CONSENT_MS = 5_000
const STEP = 50
const NOTICE_LIMIT = 5 * 60_000

export type Phase = 'mount' | 'update' | 'nested-update'

export interface Commit {
  phase: Phase
  actualDuration: number
}

/** Collects every commit of one `<Profiler>`, and runs `after` on each (the DOM is committed by then). */
function recorder(after?: (commit: Commit) => void) {
  const commits: Commit[] = []
  const onRender: ProfilerOnRenderCallback = (_id, phase, actualDuration) => {
    const commit = { phase, actualDuration }
    commits.push(commit)
    after?.(commit)
  }
  return { commits, onRender }
}

function byPhase(commits: readonly Commit[]): Record<Phase, number> {
  const counts: Record<Phase, number> = { mount: 0, update: 0, 'nested-update': 0 }
  for (const commit of commits) counts[commit.phase]++
  return counts
}

function totalMs(commits: readonly Commit[]): number {
  return commits.reduce((sum, commit) => sum + commit.actualDuration, 0)
}

function inProvider(backend: MockBackend, environment: Partial<FlowEnvironment>, children: ReactNode) {
  // A cache of its own per render, so every run starts cold.
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      <ConnectProvider backend={backend} client={createConnectClient({ environment })} redirectUrl={CALLBACK_URL} environment={environment}>
        {children}
      </ConnectProvider>
    </SWRConfig>
  )
}

/**
 * A started flow leaves its session in `sessionStorage` to pick it up after a reload; the next run
 * (a new backend) must not resume it. test/setup.ts does the same after each test.
 */
function forgetSessions() {
  sessionStorage.clear()
  localStorage.clear()
}

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms))

export interface ButtonRender {
  /** Commits from the click until `onConnected` fired and the button shows its connected state. */
  commitsClickToConnected: number
  commitsByPhase: Record<Phase, number>
  /** Sum of `actualDuration` over those commits. */
  renderMsTotal: number
  /** Commits of the first render, before the click (not part of the numbers above). */
  commitsBeforeClick: number
  /** Commits in the 5 s after the connected state (should be none: nothing left to show). */
  commitsAfterConnected: number
  onConnectedCalls: number
  finalStatus: string | null
  finalText: string
}

/**
 * One `<ProviderConnectButton providerId="slack">`: the user clicks, spends 5 s on the consent
 * page, and the callback page signals the completion (the fast path).
 */
export async function buttonRender(): Promise<ButtonRender> {
  vi.useFakeTimers({ toFake: [...FAKED] })
  const backend = createMockBackend()
  const { environment, signalCompletion } = fastPathEnvironment()
  const profile = recorder()
  let onConnectedCalls = 0
  const view = render(
    inProvider(
      backend,
      environment,
      <Profiler id="button" onRender={profile.onRender}>
        <ProviderConnectButton
          providerId="slack"
          providerName="Slack"
          onConnected={() => {
            onConnectedCalls++
          }}
        />
      </Profiler>,
    ),
  )
  try {
    await advance(0)
    const commitsBeforeClick = profile.commits.length
    const button = screen.getByRole('button', { name: /^Connect Slack/ })
    const connected = () => onConnectedCalls > 0 && button.getAttribute('data-status') === 'completed'

    fireEvent.click(button)
    await advance(CONSENT_MS)
    backend.complete()
    signalCompletion(backend)
    await advance(0)
    for (let waited = 0; !connected(); waited += STEP) {
      if (waited >= NOTICE_LIMIT) throw new Error(`the button did not show connected within ${NOTICE_LIMIT} ms of the completion`)
      await advance(STEP)
    }
    const clickToConnected = profile.commits.slice(commitsBeforeClick)
    const connectedAt = profile.commits.length
    await advance(5_000)
    return {
      commitsClickToConnected: clickToConnected.length,
      commitsByPhase: byPhase(clickToConnected),
      renderMsTotal: totalMs(clickToConnected),
      commitsBeforeClick,
      commitsAfterConnected: profile.commits.length - connectedAt,
      onConnectedCalls,
      finalStatus: button.getAttribute('data-status'),
      finalText: button.textContent ?? '',
    }
  } finally {
    view.unmount()
    forgetSessions()
    vi.useRealTimers()
  }
}

export const LIST_SIZE = 200
export const LIST_CONNECTED = 50

export const LIST_PROVIDERS = Array.from({ length: LIST_SIZE }, (_, i) => ({ providerId: `provider-${i}`, name: `Provider ${i}` }))

export interface ListRun {
  /** Sum of `actualDuration` of the commits until the list's `data-state="ready"`. */
  mountMs: number
  commitsUntilReady: number
  /** `actualDuration` of each of those commits, in order. */
  readyCommitMs: number[]
  rows: number
  connectedRows: number
  disconnectedRows: number
  /** Clicking Connect on one disconnected row: the commits until that row shows `connecting` with a session. */
  updateOneRowMs: number
  updateOneRowCommits: number
  /** Rows whose `data-state` changed because of that click (should be the one). */
  rowsChangedByUpdate: number
}

/**
 * A `ConnectionsList` of 200 providers, 50 of them connected, on a cold cache: mounted until
 * `data-state="ready"`, then one row updated (Connect clicked: disconnected → connecting).
 */
export async function listRun(): Promise<ListRun> {
  vi.useFakeTimers({ toFake: [...FAKED] })
  const backend = createMockBackend({
    connections: LIST_PROVIDERS.slice(0, LIST_CONNECTED).map(provider => ({ providerId: provider.providerId })),
  })
  const { environment } = createFakeBrowser()
  const stateOfList = () => document.querySelector('[data-bench="list"]')?.getAttribute('data-state')
  let readyAt: number | null = null
  const profile = recorder(() => {
    if (readyAt === null && stateOfList() === 'ready') readyAt = profile.commits.length
  })
  const view = render(
    inProvider(
      backend,
      { ...environment, openChannel: () => null },
      <Profiler id="list200" onRender={profile.onRender}>
        <ConnectionsList providers={LIST_PROVIDERS} data-bench="list" />
      </Profiler>,
    ),
  )
  try {
    for (let waited = 0; readyAt === null; waited += STEP) {
      if (waited >= 10_000) throw new Error(`the list was not ready within 10 s (data-state=${stateOfList()})`)
      await advance(waited === 0 ? 0 : STEP)
    }
    const untilReady = profile.commits.slice(0, readyAt)
    await advance(1_000)

    const rowStates = () => [...document.querySelectorAll('li[data-provider]')].map(row => row.getAttribute('data-state'))
    const before = rowStates()
    const target = document.querySelector(`li[data-provider="provider-${LIST_SIZE - 1}"]`)
    const button = target?.querySelector<HTMLButtonElement>('button[data-action="connect"]')
    if (!target || !button) throw new Error(`no Connect button on the last row: ${target?.outerHTML.slice(0, 800)}`)
    const settled = profile.commits.length
    fireEvent.click(button)
    await advance(0)
    if (target.getAttribute('data-state') !== 'connecting' || button.getAttribute('data-status') !== 'pending') {
      throw new Error(`the clicked row is ${target.getAttribute('data-state')}/${button.getAttribute('data-status')}, not connecting/pending`)
    }
    const update = profile.commits.slice(settled)
    const after = rowStates()
    return {
      mountMs: totalMs(untilReady),
      commitsUntilReady: untilReady.length,
      readyCommitMs: untilReady.map(commit => commit.actualDuration),
      rows: before.length,
      connectedRows: before.filter(state => state === 'connected').length,
      disconnectedRows: before.filter(state => state === 'disconnected').length,
      updateOneRowMs: totalMs(update),
      updateOneRowCommits: update.length,
      rowsChangedByUpdate: after.filter((state, i) => state !== before[i]).length,
    }
  } finally {
    view.unmount()
    forgetSessions()
    vi.useRealTimers()
  }
}
