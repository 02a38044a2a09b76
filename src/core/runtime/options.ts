/** The public options of a flow (backend, provider, client, environment, callbacks, timings) and their validation. */
import type { ConnectClient } from '../client.js'
import type { FlowEnvironment } from '../browser/environment.js'
import { checkTimingOptions } from '../engine/timing.js'
import { ConnectError } from '../errors.js'
import type { ConnectBackend, SetupFlowEvent, SetupFlowState, SetupFlowStatus, SetupMode, SetupSession } from '../types.js'

/** The callbacks a flow reports through. All optional; a callback that throws never breaks the flow. */
export interface SetupFlowCallbacks {
  /** The session completed: store `authConfigId` for this user. Fires exactly once per completed session. */
  onConnected?: (authConfigId: string, session: SetupSession) => void
  /** The flow ended in `error`, `failed`, `expired` or `archived`. */
  onError?: (error: ConnectError) => void
  /** Every status change, after the state is updated. */
  onStatusChange?: (status: SetupFlowStatus, state: SetupFlowState) => void
  /** Analytics and debugging. Events never carry the session URL or any secret. */
  onEvent?: (event: SetupFlowEvent) => void
}

export interface SetupFlowOptions extends SetupFlowCallbacks {
  /** Where sessions are created and read. Required. */
  backend: ConnectBackend
  /** The provider to connect, e.g. `'slack'`. Required. */
  providerId: string
  /**
   * Shares completions and "connections changed" with the other flows and lists of the app.
   * Defaults to the `ConnectProvider`'s client in React, and to one page-wide client otherwise.
   */
  client?: ConnectClient
  /** Shown in the popup's placeholder ("Connecting to {providerName}…"). Defaults to `providerId`. */
  providerName?: string
  /** The popup placeholder's whole text, e.g. translated. Defaults to "Connecting to {providerName}…". */
  popupText?: string
  /** Defaults to `'oauth'`. */
  providerAuthMethodId?: string
  /** Defaults to none (the backend's choice). */
  providerDeploymentId?: string
  /**
   * The page the consent page returns to; it should call `completeSetupSession()` from
   * `react-provider-connect/callback` for completion within one round trip. The library adds its
   * `connect_state` parameter. Defaults to none in popup mode (polling only) and to the current
   * page in redirect mode.
   */
  redirectUrl?: string
  /** Sent to the backend with the create call. Defaults to none. */
  metadata?: Record<string, unknown>
  /**
   * Reconnect in place: the connection (auth config id) the new one replaces, sent with the create
   * call. On completion the backend gives the new connection the old one's name and ends the old
   * one (how `ConnectionsList` reconnects a revoked account). Defaults to none (a new connection).
   */
  replacesConnectionId?: string
  /**
   * `'popup'` opens the consent page in a popup; `'redirect'` navigates the whole page there and
   * resumes on return; `'auto'` picks redirect in in-app browsers, popup elsewhere and always inside a frame.
   * Defaults to `'popup'`.
   */
  mode?: SetupMode
  /**
   * When the popup is blocked, go on in redirect mode instead of offering a new tab. Ignored inside a
   * frame, which is never navigated to the consent page. Defaults to `false`.
   */
  redirectFallback?: boolean
  /**
   * The first delay between two status checks, in ms; later ones grow 1.5× up to `maxPollInterval`
   * (±20% jitter), then, past the first minute, slowly up to one check per 30 s. Callback messages,
   * the popup closing, focus and visibility still check at once. Defaults to `1000`.
   */
  pollInterval?: number
  /** The longest delay between two status checks during the first minute, in ms. Defaults to `5000`. */
  maxPollInterval?: number
  /**
   * Give up waiting after this many ms (`error` with code `timeout`), even while the session is
   * still being created; a completion seen later still counts. Defaults to none: the flow waits
   * until the session's `expiresAt` (then `expired`), or 30 minutes when the backend sends none
   * (then `error` with code `timeout`: the session did not expire, the wait was given up).
   */
  timeout?: number
  /**
   * Longest wait for one request to the backend, in ms: a request that never answers is aborted
   * and counts as a network failure. Defaults to `15000`.
   */
  requestTimeout?: number
  /** After the popup closes, how long the backend may take to report success before `cancelled`, in ms. Defaults to `2000`. */
  closeGrace?: number
  /** Consecutive transient failures (network, 5xx, 429) tolerated before `error`. Defaults to `5`. */
  maxRetries?: number
  /** After `cancelled` or `error`, the delay between the slow checks that catch a late success, in ms. Defaults to `15000`. */
  watchInterval?: number
  /** The popup's size in CSS pixels. Defaults to `{ width: 500, height: 700 }`. */
  popupSize?: { width: number; height: number }
  /** Replaces parts of the browser (timers, `window.open`, storage, channels): for tests and unusual hosts. */
  environment?: Partial<FlowEnvironment>
}

const TIMING_KEYS = ['pollInterval', 'maxPollInterval', 'timeout', 'closeGrace', 'watchInterval', 'maxRetries', 'requestTimeout'] as const
const POSITIVE_KEYS = ['pollInterval', 'maxPollInterval', 'watchInterval', 'requestTimeout'] as const

/** Throws `invalid_options` for options no flow can run with. */
export function validateFlowOptions(options: SetupFlowOptions): SetupFlowOptions {
  if (!options || typeof options.providerId !== 'string' || options.providerId === '') {
    throw new ConnectError('invalid_options', 'A setup flow needs a `providerId`, e.g. "slack".')
  }
  if (!options.backend) {
    throw new ConnectError(
      'invalid_options',
      'A setup flow needs a backend: render it inside <ConnectProvider endpoint="/api/connect">, or pass `backend`.',
    )
  }
  checkTimingOptions(options, TIMING_KEYS, POSITIVE_KEYS)
  return options
}

