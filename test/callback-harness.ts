/**
 * A fake browser for the callback fast path: "tabs" (flow environments) and callback windows that
 * share one `BroadcastChannel` hub and `localStorage`, with every listener counted. Timers are the
 * global ones, so `vi.useFakeTimers()` drives delivery too.
 */
import { vi } from 'vitest'
import type { ChannelHandle, FlowEnvironment, PopupHandle } from '../src/core/index.js'
import type { CallbackWindow } from '../src/callback/index.js'

export const APP_ORIGIN = 'https://app.example.com'
export const APP_PAGE = `${APP_ORIGIN}/settings/integrations?tab=apps#slack`

/** `Storage` in memory; one per tab for `sessionStorage`, one per origin for `localStorage`. */
export class MemoryStorage implements Storage {
  #items = new Map<string, string>()
  /** Called after every write, like the browser firing `storage` in the other windows. */
  onChange: ((key: string, value: string | null) => void) | null = null
  get length() {
    return this.#items.size
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.#items.set(key, String(value))
    this.onChange?.(key, String(value))
  }
  removeItem(key: string) {
    this.#items.delete(key)
    this.onChange?.(key, null)
  }
  clear() {
    this.#items.clear()
  }
}

/** `BroadcastChannel` semantics: delivered later (a task), to every other open channel of the name. */
export function createChannelHub() {
  const open = new Set<{ name: string; owner: string; deliver: (data: unknown) => void }>()
  function openChannel(name: string, owner = 'page'): ChannelHandle {
    const listeners = new Set<(event: { data: unknown }) => void>()
    const entry = { name, owner, deliver: (data: unknown) => listeners.forEach(listener => listener({ data })) }
    open.add(entry)
    return {
      postMessage(data) {
        const copy = structuredClone(data)
        for (const other of open) {
          if (other !== entry && other.name === name) setTimeout(() => open.has(other) && other.deliver(copy), 0)
        }
      },
      addEventListener: (_type, listener) => void listeners.add(listener),
      removeEventListener: (_type, listener) => void listeners.delete(listener),
      close: () => void open.delete(entry),
    }
  }
  return {
    openChannel,
    /** Channels still open, for one owner (a tab) or all. */
    openCount: (owner?: string) => [...open].filter(entry => owner === undefined || entry.owner === owner).length,
    /** A `BroadcastChannel` constructor for a callback window. */
    constructorFor(owner: string): NonNullable<CallbackWindow['BroadcastChannel']> {
      return class {
        #handle: ChannelHandle
        constructor(name: string) {
          this.#handle = openChannel(name, owner)
        }
        postMessage(data: unknown) {
          this.#handle.postMessage(data)
        }
        close() {
          this.#handle.close()
        }
      }
    },
  }
}

export type ChannelHub = ReturnType<typeof createChannelHub>

export interface FakePopup extends PopupHandle {
  closed: boolean
  url: string | null
}

export interface TabOptions {
  hub?: ChannelHub
  /** Shared by the tabs of one origin. */
  localStorage?: MemoryStorage
  /** Kept across a "reload" of the same tab. */
  sessionStorage?: MemoryStorage
  href?: string
  userAgent?: string
  framed?: boolean
  blockPopups?: boolean
  name?: string
}

/** One tab of the app: a flow environment whose every listener is counted. */
export function createTab(options: TabOptions = {}) {
  const name = options.name ?? 'tab'
  const hub = options.hub ?? createChannelHub()
  const sessionStorage = options.sessionStorage ?? new MemoryStorage()
  const message = new Set<(data: unknown, origin: string) => void>()
  const storage = new Set<(key: string | null, value: string | null) => void>()
  const wake = new Set<(reason: 'focus' | 'visible') => void>()
  const popups: FakePopup[] = []
  const navigate = vi.fn<(url: string) => void>()
  const openWindow = vi.fn((url: string): FakePopup | null => {
    if (options.blockPopups) return null
    const popup: FakePopup = {
      closed: false,
      url: url === 'about:blank' ? null : url,
      focus: () => {},
      close: () => {
        popup.closed = true
      },
      location: {
        replace: next => {
          popup.url = next
        },
      },
    }
    popups.push(popup)
    return popup
  })
  const environment: Partial<FlowEnvironment> = {
    random: () => 0.5,
    openWindow,
    screenBox: () => null,
    isHidden: () => false,
    hasFocus: () => true,
    onWake: listener => {
      wake.add(listener)
      return () => void wake.delete(listener)
    },
    onMessage: listener => {
      message.add(listener)
      return () => void message.delete(listener)
    },
    onStorage: listener => {
      storage.add(listener)
      return () => void storage.delete(listener)
    },
    openChannel: channelName => hub.openChannel(channelName, name),
    sessionStorage: () => sessionStorage,
    locationHref: () => options.href ?? APP_PAGE,
    navigate,
    userAgent: () => options.userAgent ?? 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    isFramed: () => options.framed ?? false,
  }
  // Another window of the origin wrote `localStorage`: this tab hears a `storage` event.
  if (options.localStorage) {
    const previous = options.localStorage.onChange
    options.localStorage.onChange = (key, value) => {
      previous?.(key, value)
      storage.forEach(listener => listener(key, value))
    }
  }
  return {
    name,
    hub,
    environment,
    sessionStorage,
    popups,
    navigate,
    openWindow,
    get popup() {
      return popups[popups.length - 1]
    },
    /** A `message` event on this window. */
    postMessage(data: unknown, origin = APP_ORIGIN) {
      message.forEach(listener => listener(data, origin))
    },
    /** A `storage` event on this window. */
    storageEvent(key: string | null, value: string | null) {
      storage.forEach(listener => listener(key, value))
    },
    /** Another page of the origin says something on a `BroadcastChannel`. */
    broadcast(channelName: string, data: unknown) {
      const channel = hub.openChannel(channelName, 'elsewhere')
      channel.postMessage(data)
      channel.close()
    },
    wake(reason: 'focus' | 'visible' = 'focus') {
      wake.forEach(listener => listener(reason))
    },
    /** Listeners this tab still holds: message, storage, focus/visibility, open channels. */
    listeners: () => ({ message: message.size, storage: storage.size, wake: wake.size, channels: hub.openCount(name) }),
  }
}

export type Tab = ReturnType<typeof createTab>
