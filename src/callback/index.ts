/**
 * `react-provider-connect/callback`: the page at `redirectUrl`. No React, nothing of the flow: it
 * only tells the page that started the connection, closes the popup or goes back, so it stays tiny.
 * Nothing here touches `window` before `completeSetupSession()` is called (SSR-safe).
 */
import { CHANNEL_NAME, MESSAGE_TYPE, REDIRECT_KEY_PREFIX, STATE_PARAM, STORAGE_SIGNAL_KEY } from '../core/protocol.js'
import type { CallbackSignal, RedirectRecord } from '../core/protocol.js'
import type { CallbackChannelName } from '../core/types.js'

export type { CallbackChannelName }

/** The parts of `window` the callback page uses; pass a stand-in in tests. */
export interface CallbackWindow {
  location: { href: string; replace(url: string): void }
  opener?: { postMessage(message: unknown, targetOrigin: string): void } | null
  readonly closed?: boolean
  close(): void
  document?: Document
  sessionStorage?: Storage
  localStorage?: Storage
  BroadcastChannel?: new (name: string) => { postMessage(message: unknown): void; close(): void }
  setTimeout(callback: () => void, ms: number): unknown
}

export interface CompleteSetupSessionOptions {
  /** How long the popup stays open after telling the opener, in ms, before closing itself. Defaults to `0`. */
  closeDelay?: number
  /**
   * Shown when the page cannot close itself (a tab the script did not open, a direct visit), or
   * `false` to show nothing and render your own from the result. It never claims success: the
   * provider sends the browser here after a failure too, and only the app's page, which asks its
   * backend, can say what happened. Defaults to `'Finishing up… you can close this window.'`.
   */
  message?: string | false
  /**
   * The opener's origin for `postMessage`. Set it only when the app runs on another origin than this
   * page (`BroadcastChannel` and `storage` cannot reach it then). Defaults to this page's origin.
   */
  targetOrigin?: string
  /** The window to act on. Defaults to the global `window`. */
  window?: CallbackWindow
}

export interface CompleteSetupSessionResult {
  /** The `connect_state` parameter of this page, or null when it has none (then nobody is told). */
  state: string | null
  /**
   * `'redirect'`: this tab started a redirect-mode connection and is sent back to `returnTo`.
   * `'popup'`: opened by the app's page. `'unknown'`: no opener visible (COOP may hide it), or no state.
   */
  mode: 'popup' | 'redirect' | 'unknown'
  /** The channels the signal was sent on. */
  notified: CallbackChannelName[]
  /** True when the window closed itself (or, in redirect mode, navigated back). */
  closed: boolean
}

const DEFAULT_MESSAGE = 'Finishing up… you can close this window.'

/**
 * Call it on the page at `redirectUrl`. It reads the library's `connect_state` parameter and tells
 * the app's page (which then asks its backend: the message is only a hint), then closes the popup,
 * or in redirect mode returns to the page the user started from.
 */
export async function completeSetupSession(options: CompleteSetupSessionOptions = {}): Promise<CompleteSetupSessionResult> {
  if (!options.window && typeof window === 'undefined') {
    // Server rendering (a top-level call in a prerendered page): say where it belongs.
    throw new Error('completeSetupSession() runs in the browser: call it in useEffect or a <script type="module"> on the redirectUrl page.')
  }
  const win = options.window ?? (window as unknown as CallbackWindow)
  const url = new URL(win.location.href)
  const state = url.searchParams.get(STATE_PARAM)
  const result: CompleteSetupSessionResult = { state, mode: 'unknown', notified: [], closed: false }
  if (state) {
    const returnTo = findReturnTo(win, state, url)
    if (returnTo !== undefined) {
      result.mode = 'redirect'
      // Never leave this origin: a record is page-written, but `returnTo` is checked as if it were not.
      if (returnTo) {
        win.location.replace(returnTo)
        result.closed = true
        return result
      }
    } else {
      notify(win, { type: MESSAGE_TYPE, state }, options.targetOrigin ?? url.origin, result)
      if (options.closeDelay) await new Promise(resolve => win.setTimeout(() => resolve(0), options.closeDelay as number))
      attempt(() => win.close())
      // `closed` turns true at once when the browser lets the script close this window.
      result.closed = win.closed === true
    }
  }
  if (!result.closed && options.message !== false) showMessage(win.document, options.message ?? DEFAULT_MESSAGE)
  return result
}

/**
 * The page to go back to when this tab left for the consent page in redirect mode: `undefined`
 * when no record of this tab has this state, `null` when its `returnTo` is not a same-origin page.
 */
function findReturnTo(win: CallbackWindow, state: string, here: URL): string | null | undefined {
  let found: string | null | undefined
  attempt(() => {
    const storage = win.sessionStorage as Storage
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)
      if (!key?.startsWith(REDIRECT_KEY_PREFIX)) continue
      attempt(() => {
        const record = JSON.parse(storage.getItem(key) as string) as Partial<RedirectRecord>
        // No returnTo: a session handed over between two mounts of the app page, not a redirect.
        if (record.state !== state || !record.returnTo) return
        found = null
        const to = new URL(record.returnTo as string, here)
        if (to.origin === here.origin && /^https?:$/.test(to.protocol)) found = to.href
      })
    }
  })
  return found
}

function notify(win: CallbackWindow, signal: CallbackSignal, targetOrigin: string, result: CompleteSetupSessionResult): void {
  const sent = (channel: CallbackChannelName) => result.notified.push(channel)
  // COOP on the consent page's origin can sever `opener`; the other two channels still work then.
  if (win.opener) {
    result.mode = 'popup'
    if (attempt(() => win.opener?.postMessage(signal, targetOrigin))) sent('postMessage')
  }
  if (
    attempt(() => {
      const channel = new (win.BroadcastChannel as NonNullable<CallbackWindow['BroadcastChannel']>)(CHANNEL_NAME)
      channel.postMessage(signal)
      channel.close()
    })
  ) {
    sent('broadcastChannel')
  }
  if (
    attempt(() => {
      // Setting then removing the key fires `storage` in every other window of this origin.
      const storage = win.localStorage as Storage
      storage.setItem(STORAGE_SIGNAL_KEY, JSON.stringify({ ...signal, at: Date.now() }))
      storage.removeItem(STORAGE_SIGNAL_KEY)
    })
  ) {
    sent('storage')
  }
}

function showMessage(doc: Document | undefined, text: string): void {
  attempt(() => {
    const page = doc as Document
    const main = page.createElement('main')
    const message = page.createElement('p')
    message.setAttribute('role', 'status')
    message.textContent = text
    main.append(message)
    ;(page.body ?? page.documentElement).append(main)
  })
}

/** Runs `action`; true when it did not throw (storage disabled, no `BroadcastChannel`, a closed opener…). */
function attempt(action: () => void): boolean {
  try {
    action()
    return true
  } catch {
    return false
  }
}
