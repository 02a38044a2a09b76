/**
 * Everything the flow needs from the browser, behind one injectable object. Defaults reach for
 * `window` only when called, so importing the library on a server is safe.
 */

/** The part of a popup `Window` the flow uses. */
export interface PopupHandle {
  readonly closed: boolean
  focus(): void
  close(): void
  location: { replace(url: string): void }
  document?: Document
}

/** A `BroadcastChannel`-like object. */
export interface ChannelHandle {
  postMessage(data: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

export type TimerId = unknown

export interface FlowEnvironment {
  now(): number
  random(): number
  setTimeout(callback: () => void, ms: number): TimerId
  clearTimeout(id: TimerId): void
  /** `window.open`. Returns null when the popup was blocked. */
  openWindow(url: string, name: string, features: string): PopupHandle | null
  /** The opener's screen box, to centre the popup. */
  screenBox(): { left: number; top: number; width: number; height: number } | null
  isHidden(): boolean
  hasFocus(): boolean
  /** Calls back when the page regains focus or becomes visible. Returns the unsubscribe. */
  onWake(listener: (reason: 'focus' | 'visible') => void): () => void
  /**
   * Calls back when the browser restores the page from its back-forward cache (`pageshow` with
   * `persisted`), e.g. Back from the consent page in redirect mode. Returns the unsubscribe.
   */
  onPageRestore(listener: () => void): () => void
  /** `window` `message` events. */
  onMessage(listener: (data: unknown, origin: string) => void): () => void
  /** `storage` events (another window wrote `localStorage`). */
  onStorage(listener: (key: string | null, value: string | null) => void): () => void
  /** A `BroadcastChannel`, or null where there is none. */
  openChannel(name: string): ChannelHandle | null
  /** `sessionStorage`, or null where it is unavailable (SSR, privacy modes). */
  sessionStorage(): Storage | null
  /** The page's URL, or null on a server. */
  locationHref(): string | null
  /** Navigates the whole page (redirect mode). */
  navigate(url: string): void
  /** Changes the address bar without navigating (drops `connect_state` after a redirect return). */
  replaceHref(url: string): void
  userAgent(): string
  /** True when the page runs inside an iframe. */
  isFramed(): boolean
}

function win(): (Window & typeof globalThis) | undefined {
  return typeof window === 'undefined' ? undefined : window
}

function safeStorage(get: () => Storage): Storage | null {
  try {
    return get()
  } catch {
    return null
  }
}

function listen<K extends keyof WindowEventMap>(type: K, handler: (event: WindowEventMap[K]) => void): () => void {
  const w = win()
  if (!w) return () => {}
  w.addEventListener(type, handler)
  return () => w.removeEventListener(type, handler)
}

/** The real browser, with any part replaced by `overrides` (tests, React Native shells, iframes). */
export function createBrowserEnvironment(overrides: Partial<FlowEnvironment> = {}): FlowEnvironment {
  const base: FlowEnvironment = {
    now: () => Date.now(),
    random: () => Math.random(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: id => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
    openWindow: (url, name, features) => win()?.open(url, name, features) ?? null,
    screenBox: () => {
      const w = win()
      if (!w) return null
      return { left: w.screenX, top: w.screenY, width: w.outerWidth, height: w.outerHeight }
    },
    isHidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
    hasFocus: () => typeof document === 'undefined' || document.hasFocus(),
    onWake: listener => {
      const offFocus = listen('focus', () => listener('focus'))
      const onVisibility = () => {
        if (document.visibilityState === 'visible') listener('visible')
      }
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility)
      return () => {
        offFocus()
        if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility)
      }
    },
    onPageRestore: listener =>
      listen('pageshow', event => {
        if (event.persisted) listener()
      }),
    onMessage: listener => listen('message', event => listener(event.data, event.origin)),
    onStorage: listener => listen('storage', event => listener(event.key, event.newValue)),
    openChannel: name => (typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name)),
    sessionStorage: () => safeStorage(() => window.sessionStorage),
    locationHref: () => win()?.location.href ?? null,
    navigate: url => win()?.location.assign(url),
    replaceHref: url => {
      const w = win()
      w?.history.replaceState(w.history.state, '', url)
    },
    userAgent: () => (typeof navigator === 'undefined' ? '' : navigator.userAgent),
    isFramed: () => {
      const w = win()
      if (!w) return false
      try {
        return w.self !== w.top
      } catch {
        return true
      }
    },
  }
  return { ...base, ...overrides }
}
