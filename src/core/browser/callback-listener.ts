/** Hearing the callback page on every channel that reaches this window. */
import type { FlowEnvironment } from './environment.js'
import { CHANNEL_NAME, isCallbackSignal, STORAGE_SIGNAL_KEY } from '../protocol.js'
import type { CallbackChannelName } from '../types.js'
import { originOf } from './url.js'

export interface CallbackListenerOptions {
  /** The flow's own `connect_state`: signals for any other state are ignored. */
  state: string
  /** The callback page's origin; `postMessage` from anywhere else is ignored. Null: this page's origin. */
  origin: string | null
}

/**
 * Hears the callback page on every channel that can reach this window: `postMessage` (needs
 * `window.opener`), `BroadcastChannel` and the `storage` event (both survive COOP severing the
 * opener). Each signal is only a hint; the caller asks the backend.
 */
export function listenForCallback(
  env: FlowEnvironment,
  options: CallbackListenerOptions,
  onSignal: (channel: CallbackChannelName) => void,
): () => void {
  const page = env.locationHref()
  const expectedOrigin = options.origin ?? (page ? originOf(page) : null)
  const matches = (data: unknown) => isCallbackSignal(data) && data.state === options.state

  const offMessage = env.onMessage((data, origin) => {
    // An opaque origin ("null": sandboxed frames, data: URLs) is anyone's: never a callback page.
    if (origin === expectedOrigin && origin !== 'null' && matches(data)) onSignal('postMessage')
  })
  const offStorage = env.onStorage((key, value) => {
    if (key !== STORAGE_SIGNAL_KEY || !value) return
    try {
      if (matches(JSON.parse(value))) onSignal('storage')
    } catch {
      // Not JSON: not ours.
    }
  })
  const channel = env.openChannel(CHANNEL_NAME)
  const onChannel = (event: { data: unknown }) => {
    if (matches(event.data)) onSignal('broadcastChannel')
  }
  channel?.addEventListener('message', onChannel)
  return () => {
    offMessage()
    offStorage()
    channel?.removeEventListener('message', onChannel)
    channel?.close()
  }
}
