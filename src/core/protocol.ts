/**
 * The wire format between the callback page and the flow that opened it. Kept in one small module
 * so `react-provider-connect/callback` stays tiny.
 */
/** The query parameter that binds a callback page load to the flow that opened it. */
export const STATE_PARAM = 'connect_state'
export const MESSAGE_TYPE = 'react-provider-connect:callback'
export const CHANNEL_NAME = 'react-provider-connect'
export const STORAGE_SIGNAL_KEY = 'react-provider-connect:callback'
export const REDIRECT_KEY_PREFIX = 'react-provider-connect:redirect:'
export const CONNECTIONS_CHANGED_TYPE = 'react-provider-connect:connections-changed'
/** The first element of every SWR key this library uses, for `mutate(key => …)` filters. */
export const CONNECTIONS_KEY = 'react-provider-connect:connections'
export const POPUP_NAME_PREFIX = 'react-provider-connect-'

/** A callback page load, as told to the opener. Only a hint: the flow then asks the backend. */
export interface CallbackSignal {
  type: typeof MESSAGE_TYPE
  state: string
}

/** What redirect mode keeps in `sessionStorage` while the user is on the consent page. */
export interface RedirectRecord {
  sessionId: string
  state: string
  providerId: string
  returnTo: string
  createdAt: number
}

export function isCallbackSignal(value: unknown): value is CallbackSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === MESSAGE_TYPE &&
    typeof (value as { state?: unknown }).state === 'string'
  )
}
