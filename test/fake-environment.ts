import { vi } from 'vitest'
import type { Mock } from 'vitest'
import type { FlowEnvironment, PopupHandle } from '../src/core/index.js'

export interface FakePopup extends PopupHandle {
  closed: boolean
  url: string | null
  focus: Mock<() => void>
  close: Mock<() => void>
}

export function createFakePopup(): FakePopup {
  const popup: FakePopup = {
    closed: false,
    url: null,
    focus: vi.fn<() => void>(),
    close: vi.fn<() => void>(() => {
      popup.closed = true
    }),
    location: {
      replace: (url: string) => {
        popup.url = url
      },
    },
  }
  return popup
}

/**
 * A scriptable browser for the flow: popups, visibility, focus and wake-ups. Timers and the clock
 * stay the global ones, so `vi.useFakeTimers()` drives them.
 */
export function createFakeBrowser(options: { blockPopups?: boolean } = {}) {
  const popups: FakePopup[] = []
  const wakeListeners = new Set<(reason: 'focus' | 'visible') => void>()
  const state = { hidden: false, focused: true, blockPopups: options.blockPopups ?? false, href: 'https://app.example.com/settings' }
  const navigate = vi.fn()
  const openWindow = vi.fn((url: string, _name: string, _features: string): FakePopup | null => {
    if (state.blockPopups) return null
    const popup = createFakePopup()
    if (url !== 'about:blank') popup.url = url
    popups.push(popup)
    return popup
  })
  const environment: Partial<FlowEnvironment> = {
    random: () => 0.5,
    openWindow,
    screenBox: () => ({ left: 0, top: 0, width: 1200, height: 900 }),
    isHidden: () => state.hidden,
    hasFocus: () => state.focused,
    onWake: listener => {
      wakeListeners.add(listener)
      return () => wakeListeners.delete(listener)
    },
    locationHref: () => state.href,
    navigate,
  }
  return {
    environment,
    state,
    popups,
    openWindow,
    navigate,
    get popup(): FakePopup | undefined {
      return popups[popups.length - 1]
    },
    wake(reason: 'focus' | 'visible' = 'focus') {
      for (const listener of [...wakeListeners]) listener(reason)
    },
    get wakeListenerCount() {
      return wakeListeners.size
    },
  }
}

/** The fake browser a test drives: its environment, its popups and its clock-driven events. */
export type FakeBrowser = ReturnType<typeof createFakeBrowser>
