/**
 * Stories run with no backend: every story render gets a fresh in-memory mock backend and a fake
 * popup, made by a loader so that the play function can script the very same mock.
 */
import type { Decorator } from '@storybook/react-vite'
import { SWRConfig } from 'swr'
import { ConnectProvider } from '../src/index.js'
import type { FlowEnvironment, PopupHandle } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import { storyLocale } from './story-locale.js'
import type { MockBackend, MockBackendOptions } from '../src/testing/index.js'

/** Story parameters read by `loadMockConnect`. */
export interface MockConnectParameters {
  /** Options of this story's mock backend. Defaults to a 150 ms latency. */
  mockBackend?: MockBackendOptions
  /** When true, `window.open` returns null, as when the browser blocks the popup. Defaults to `false`. */
  blockPopup?: boolean
}

export interface MockConnectLoaded {
  mock: MockBackend
  environment: Partial<FlowEnvironment>
}

/** A window that never navigates anywhere: the consent page is out of scope of a story. */
export function createFakePopup(): PopupHandle {
  const popup = {
    closed: false,
    focus() {},
    close() {
      popup.closed = true
    },
    location: { replace() {} },
  }
  return popup
}

/** A loader (so it works with any story's args): reads `parameters.mockConnect`. */
export function loadMockConnect({ parameters }: { parameters: { mockConnect?: MockConnectParameters } }): MockConnectLoaded {
  const { mockBackend = { latency: 150 }, blockPopup = false } = parameters.mockConnect ?? {}
  return {
    mock: createMockBackend(mockBackend),
    environment: { openWindow: () => (blockPopup ? null : createFakePopup()) },
  }
}

/** Wraps the story in a `ConnectProvider` speaking to the loaded mock. */
export const withMockConnect: Decorator = (Story, context) => {
  const { mock, environment } = mockConnectOf(context)
  return (
    <ConnectProvider backend={mock} environment={environment} locale={storyLocale(context.globals)}>
      <Story />
    </ConnectProvider>
  )
}

/** For the list's stories: `withMockConnect`, plus a fresh SWR cache per story and the list's usual width. */
export const withMockList: Decorator = (Story, context) => {
  const { mock, environment } = mockConnectOf(context)
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      <ConnectProvider backend={mock} environment={environment} locale={storyLocale(context.globals)}>
        <div style={{ maxWidth: 640 }}>
          <Story />
        </div>
      </ConnectProvider>
    </SWRConfig>
  )
}

/** The mock backend and environment the story's loader (`loadMockConnect` or the list's own) made for this render. */
export function mockConnectOf(context: { loaded: Record<string, unknown> }): MockConnectLoaded {
  const { mock, environment } = context.loaded as Partial<MockConnectLoaded>
  if (!mock || !environment) throw new Error('Add `loadMockConnect` (or a loader that returns { mock, environment }) to the story’s loaders.')
  return { mock, environment }
}
