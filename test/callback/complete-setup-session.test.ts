import axe from 'axe-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { completeSetupSession } from '../../src/callback/index.js'
import type { CallbackWindow } from '../../src/callback/index.js'
import { CHANNEL_NAME, MESSAGE_TYPE, REDIRECT_KEY_PREFIX, STATE_PARAM, STORAGE_SIGNAL_KEY } from '../../src/core/protocol.js'
import { createChannelHub, MemoryStorage } from '../callback-harness.js'

const ORIGIN = 'https://app.example.com'
const STATE = '0123456789abcdef0123456789abcdef'
const CALLBACK = `${ORIGIN}/oauth/done?from=settings&${STATE_PARAM}=${STATE}#finish`

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

/** A callback page: a popup the browser lets the script close, unless told otherwise. */
function callbackWindow(options: { href?: string; opener?: boolean; closable?: boolean; page?: Document } = {}) {
  const hub = createChannelHub()
  const heard: unknown[] = []
  const appChannel = hub.openChannel(CHANNEL_NAME, 'app')
  appChannel.addEventListener('message', event => heard.push(event.data))
  const localStorage = new MemoryStorage()
  const storageEvents: Array<[string, string | null]> = []
  localStorage.onChange = (key, value) => storageEvents.push([key, value])
  const opener = { postMessage: vi.fn<(message: unknown, targetOrigin: string) => void>() }
  const page = options.page ?? document.implementation.createHTMLDocument('Finishing')
  let closed = false
  const win = {
    location: { href: options.href ?? CALLBACK, replace: vi.fn<(url: string) => void>() },
    opener: options.opener === false ? null : opener,
    get closed() {
      return closed
    },
    close: vi.fn(() => {
      if (options.closable !== false) closed = true
    }),
    document: page,
    sessionStorage: new MemoryStorage(),
    localStorage,
    BroadcastChannel: hub.constructorFor('callback'),
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
  } satisfies CallbackWindow
  return { win, opener, heard, storageEvents, page, hub }
}

const message = (page: Document) => page.querySelector('[role="status"]')?.textContent ?? null

describe('in a popup', () => {
  it('tells the opener on every channel, then closes', async () => {
    const { win, opener, heard, storageEvents, page, hub } = callbackWindow()
    const result = await completeSetupSession({ window: win })
    expect(result).toEqual({ state: STATE, mode: 'popup', notified: ['postMessage', 'broadcastChannel', 'storage'], closed: true })
    expect(opener.postMessage).toHaveBeenCalledExactlyOnceWith({ type: MESSAGE_TYPE, state: STATE }, ORIGIN)
    await vi.advanceTimersByTimeAsync(0)
    expect(heard).toEqual([{ type: MESSAGE_TYPE, state: STATE }])
    expect(storageEvents.map(([key]) => key)).toEqual([STORAGE_SIGNAL_KEY, STORAGE_SIGNAL_KEY])
    expect(JSON.parse(storageEvents[0]?.[1] ?? '')).toEqual({ type: MESSAGE_TYPE, state: STATE, at: expect.any(Number) })
    expect(storageEvents[1]?.[1]).toBeNull()
    expect(win.localStorage.length).toBe(0)
    expect(win.close).toHaveBeenCalledTimes(1)
    expect(message(page)).toBeNull()
    // Only the app's own channel is left open.
    expect(hub.openCount('callback')).toBe(0)
  })

  it('never posts to "*": the target origin is this page’s, or the one given', async () => {
    const first = callbackWindow()
    await completeSetupSession({ window: first.win })
    expect(first.opener.postMessage.mock.calls.map(([, targetOrigin]) => targetOrigin)).toEqual([ORIGIN])
    const second = callbackWindow()
    await completeSetupSession({ window: second.win, targetOrigin: 'https://www.example.com' })
    expect(second.opener.postMessage.mock.calls.map(([, targetOrigin]) => targetOrigin)).toEqual(['https://www.example.com'])
  })

  it('works when COOP severed window.opener', async () => {
    const { win, heard } = callbackWindow({ opener: false })
    const result = await completeSetupSession({ window: win })
    expect(result).toEqual({ state: STATE, mode: 'unknown', notified: ['broadcastChannel', 'storage'], closed: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(heard).toHaveLength(1)
  })

  it('shows a visible, accessible message when it cannot close itself', async () => {
    vi.useRealTimers()
    document.documentElement.lang = 'en'
    document.title = 'Finishing your connection'
    const { win, page } = callbackWindow({ closable: false, page: document })
    const result = await completeSetupSession({ window: win })
    expect(result.closed).toBe(false)
    expect(result.notified).toHaveLength(3)
    expect(message(page)).toBe('Finishing up… you can close this window.')
    expect(page.querySelector('main [role="status"]')).toBeVisible()
    const report = await axe.run(document, { rules: { 'color-contrast': { enabled: false }, 'page-has-heading-one': { enabled: false } } })
    expect(report.violations.map(violation => violation.id)).toEqual([])
    page.querySelector('main')?.remove()
  })

  it('shows the developer’s text, or nothing with message: false', async () => {
    const custom = callbackWindow({ closable: false })
    await completeSetupSession({ window: custom.win, message: 'Verbunden. Sie können dieses Fenster schließen.' })
    expect(message(custom.page)).toBe('Verbunden. Sie können dieses Fenster schließen.')
    const silent = callbackWindow({ closable: false })
    expect((await completeSetupSession({ window: silent.win, message: false })).closed).toBe(false)
    expect(message(silent.page)).toBeNull()
  })

  it('waits closeDelay before closing, after telling the opener', async () => {
    const { win, opener } = callbackWindow()
    const done = completeSetupSession({ window: win, closeDelay: 800 })
    expect(opener.postMessage).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(799)
    expect(win.close).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(win.close).toHaveBeenCalledTimes(1)
    expect((await done).closed).toBe(true)
  })

  it('keeps going when a channel throws (no BroadcastChannel, storage disabled, opener gone)', async () => {
    const { win, page } = callbackWindow({ closable: false })
    const broken = {
      ...win,
      opener: {
        postMessage: () => {
          throw new Error('gone')
        },
      },
      BroadcastChannel: undefined,
      get localStorage(): Storage {
        throw new DOMException('denied', 'SecurityError')
      },
      get sessionStorage(): Storage {
        throw new DOMException('denied', 'SecurityError')
      },
      close: win.close,
      get closed() {
        return false
      },
    }
    const result = await completeSetupSession({ window: broken })
    expect(result).toEqual({ state: STATE, mode: 'popup', notified: [], closed: false })
    expect(message(page)).toBe('Finishing up… you can close this window.')
  })
})

describe('without the state parameter', () => {
  it('tells nobody, does not close, and shows the message', async () => {
    const { win, opener, heard, storageEvents, page } = callbackWindow({ href: `${ORIGIN}/oauth/done?from=settings` })
    const result = await completeSetupSession({ window: win })
    await vi.advanceTimersByTimeAsync(0)
    expect(result).toEqual({ state: null, mode: 'unknown', notified: [], closed: false })
    expect(opener.postMessage).not.toHaveBeenCalled()
    expect(heard).toEqual([])
    expect(storageEvents).toEqual([])
    expect(win.close).not.toHaveBeenCalled()
    expect(message(page)).toBe('Finishing up… you can close this window.')
  })
})

describe('never claims a success it has not seen', () => {
  it('the provider redirects here after a denial too: a popup it cannot close, a direct visit and a tab with no opener all show neutral text', async () => {
    const cases = [
      callbackWindow({ closable: false }),
      callbackWindow({ href: `${ORIGIN}/oauth/done` }),
      callbackWindow({ opener: false, closable: false }),
    ]
    for (const { win, page } of cases) {
      await completeSetupSession({ window: win })
      expect(message(page)).toBe('Finishing up… you can close this window.')
      expect(page.body.textContent).not.toMatch(/connected|success/i)
    }
  })
})

describe('in redirect mode', () => {
  function withRecord(record: Record<string, unknown>, providerId = 'slack') {
    const context = callbackWindow({ opener: false })
    context.win.sessionStorage.setItem('unrelated', 'x')
    context.win.sessionStorage.setItem(`${REDIRECT_KEY_PREFIX}github`, '{not json')
    context.win.sessionStorage.setItem(
      `${REDIRECT_KEY_PREFIX}${providerId}`,
      JSON.stringify({ sessionId: 'pas_1', state: STATE, providerId, createdAt: Date.now(), ...record }),
    )
    return context
  }

  it('returns to the page the user started from, and leaves the record for the flow to resume', async () => {
    const { win, heard, storageEvents } = withRecord({ returnTo: `${ORIGIN}/settings?tab=apps#slack` })
    const result = await completeSetupSession({ window: win })
    expect(result).toEqual({ state: STATE, mode: 'redirect', notified: [], closed: true })
    expect(win.location.replace).toHaveBeenCalledExactlyOnceWith(`${ORIGIN}/settings?tab=apps#slack`)
    expect(win.close).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(0)
    expect(heard).toEqual([])
    expect(storageEvents).toEqual([])
    expect(win.sessionStorage.getItem(`${REDIRECT_KEY_PREFIX}slack`)).not.toBeNull()
  })

  it.each([
    ['another origin', 'https://evil.example/phish'],
    ['a protocol-relative URL', '//evil.example/phish'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
  ])('never leaves the origin: returnTo %s is refused', async (_name, returnTo) => {
    const { win, page } = withRecord({ returnTo })
    const result = await completeSetupSession({ window: win })
    expect(win.location.replace).not.toHaveBeenCalled()
    expect(result).toMatchObject({ mode: 'redirect', closed: false, notified: [] })
    expect(message(page)).toBe('Finishing up… you can close this window.')
  })

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
  ])('a record whose returnTo is %s is a hand-over between two mounts, not a redirect: it acts as a popup', async (_name, returnTo) => {
    const { win } = withRecord({ returnTo })
    const result = await completeSetupSession({ window: win })
    expect(win.location.replace).not.toHaveBeenCalled()
    expect(result.mode).not.toBe('redirect')
    expect(result.notified).toEqual(['broadcastChannel', 'storage'])
  })

  it('resolves a same-origin path', async () => {
    const { win } = withRecord({ returnTo: '/settings' })
    await completeSetupSession({ window: win })
    expect(win.location.replace).toHaveBeenCalledWith(`${ORIGIN}/settings`)
  })

  it('a record with another state is not this page’s: it acts as a popup', async () => {
    const { win } = withRecord({ state: 'f'.repeat(32), returnTo: `${ORIGIN}/settings` })
    const result = await completeSetupSession({ window: win })
    expect(win.location.replace).not.toHaveBeenCalled()
    expect(result.notified).toEqual(['broadcastChannel', 'storage'])
  })
})

describe('defaults', () => {
  it('uses the global window', async () => {
    window.history.replaceState(null, '', `/oauth/done?${STATE_PARAM}=${STATE}`)
    const close = vi.spyOn(window, 'close').mockImplementation(() => {})
    const result = await completeSetupSession()
    expect(result.state).toBe(STATE)
    expect(result.notified).toEqual(['broadcastChannel', 'storage'])
    expect(close).toHaveBeenCalledTimes(1)
    expect(document.body).toHaveTextContent('Finishing up… you can close this window.')
    expect(localStorage.getItem(STORAGE_SIGNAL_KEY)).toBeNull()
    window.history.replaceState(null, '', '/')
  })
})
