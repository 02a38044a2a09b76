/**
 * The engine's data: the model it keeps, the events it hears, the effects it asks for, and what it
 * reads from the world (the context). Everything here is plain data; the rules are in `reducer.ts`.
 */
import type { ConnectError } from '../errors.js'
import type { RedirectRecord } from '../protocol.js'
import type { CallbackChannelName, PollReason, SetupFlowEvent, SetupFlowState, SetupSession } from '../types.js'
import type { FlowSettings } from './settings.js'
import { initialState } from './view.js'

/** A `SetupFlowEvent` as the reducer emits it: the runner adds the `providerId`. */
export type EventData = SetupFlowEvent extends infer E ? (E extends SetupFlowEvent ? Omit<E, 'providerId'> : never) : never

/** How a run shows the consent page: a popup, the whole page (redirect), or not at all (`waitForSetupSession`). */
export type RunMode = 'popup' | 'redirect' | 'headless'

/** One attempt: one session, from the click (or the resume) to its end. */
export interface Run {
  id: number
  mode: RunMode
  /** The `connect_state` binding callback signals to this run. */
  token: string
  sessionId: string | null
  startedAt: number
  /** Local time the session was created here, or when the redirect record says it was. */
  createdAt: number | null
  /** Local time at which the session expires (see `deadline.ts`); null while unknown. */
  expiresAt: number | null
  /** The `timeout` option's deadline. */
  timeoutAt: number | null
  /** Without a known expiry, following ends here. */
  limitAt: number
  /** The run's popup window: asked for, open, or none (never opened, blocked, closed, or closed by us). */
  popup: 'opening' | 'open' | 'none'
  popupClosedAt: number | null
  /** Create attempts that failed and were retried. */
  createRetries: number
  polls: number
  failures: number
  reading: boolean
  again: PollReason | null
  /** When the last read was sent, and the delay last scheduled: a wake-up soon after one adds nothing. */
  lastReadAt: number | null
  delay: number
  /** No read before this local time: the backend's `Retry-After`. */
  notBefore: number
  /** Slow checks for a late success, after `cancelled` or `error`. */
  watching: boolean
  /** A deadline passed; the answer to the last look (or its own timer) decides. */
  finalLook: 'expired' | 'timeout' | null
  /** Redirect mode: the page left for the consent page; a back-forward-cache restore brings it back. */
  away: boolean
  /** Its callback, wake-up and restore listeners are on (until it is released). */
  listening: boolean
}

export interface FlowModel {
  view: SetupFlowState
  /** The run the view shows. */
  run: Run | null
  /** Earlier runs, still watched for a late success after the user started again. */
  watched: Run[]
  /** Nobody subscribed: resources are released, and `unpause` follows the runs again. */
  paused: boolean
  nextRunId: number
}

export type TimerName = 'poll' | 'deadline' | 'last_look' | 'grace' | 'popup' | 'create_retry'

export type FlowEvent =
  /** The user's click (`start()`). */
  | { type: 'start'; token: string }
  /** "Continue in a new tab" after a blocked popup. */
  | { type: 'open_tab' }
  /** The answer to an `open_popup` effect. */
  | { type: 'popup_opened'; runId: number }
  | { type: 'popup_refused'; runId: number }
  | { type: 'created'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'create_failed'; runId: number; error: ConnectError }
  | { type: 'read'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'read_failed'; runId: number; error: ConnectError }
  | { type: 'timer'; runId: number; name: TimerName }
  | { type: 'check'; reason: PollReason; runId?: number; channel?: CallbackChannelName }
  | { type: 'page_restored' }
  | { type: 'resume'; record: RedirectRecord }
  /** `waitForSetupSession`: follow `sessionId` with no page around it. */
  | { type: 'wait'; sessionId: string; session: SetupSession | null; serverNow: number | null }
  | { type: 'cancel' }
  | { type: 'reset'; providerId?: string }
  | { type: 'pause' }
  | { type: 'unpause' }
  /** The options changed what an idle flow shows (its mode). */
  | { type: 'configure' }
  | { type: 'connection_removed'; authConfigId: string }

/** What the engine reads from the world besides the event: read, never changed. */
export interface FlowContext {
  now: number
  random: number
  hidden: boolean
  focused: boolean
  settings: FlowSettings
  /** True when the run's popup window reads as closed. */
  popupClosed(runId: number): boolean
  /** True when `onConnected` was already handed this session (by any flow of the client). */
  claimed(sessionId: string): boolean
}

export type FlowEffect =
  /** Opens the run's window: the placeholder (`url` null) or the consent page in a new tab. Answered by `popup_opened` / `popup_refused`. */
  | { type: 'open_popup'; runId: number; url: string | null }
  | { type: 'focus_popup'; runId: number }
  | { type: 'navigate_popup'; runId: number; url: string }
  | { type: 'close_popup'; runId: number }
  | { type: 'create'; runId: number; mode: 'popup' | 'redirect'; token: string }
  | { type: 'read'; runId: number; sessionId: string }
  | { type: 'set_timer'; runId: number; name: TimerName; ms: number }
  | { type: 'clear_timer'; runId: number; name: TimerName }
  /** Hear callback signals for the run's token, and focus / visibility. */
  | { type: 'listen'; runId: number; token: string }
  /** Hear the browser restore the page from its back-forward cache. */
  | { type: 'await_restore'; runId: number }
  /** Abort the run's requests, clear its timers, stop its listeners (its popup is closed apart). */
  | { type: 'release'; runId: number }
  | { type: 'emit'; event: EventData }
  /** The view's status changed here: tell subscribers, `onStatusChange` and `onEvent`. */
  | { type: 'status_changed' }
  /** Redirect mode: the whole page goes to the consent page. */
  | { type: 'navigate'; url: string }
  | { type: 'save_record'; record: Omit<RedirectRecord, 'returnTo'>; returnHere: boolean }
  /** Forget the provider's redirect record; with `sessionId`, only if it is that session's. */
  | { type: 'clear_record'; providerId: string; sessionId?: string }
  | { type: 'drop_state_param'; token: string }
  | { type: 'session_created'; sessionId: string }
  /** Hand the completion to the app (`onConnected`) and claim it on the client. */
  | { type: 'connected'; session: SetupSession; authConfigId: string }
  | { type: 'connections_changed' }
  | { type: 'failed'; error: ConnectError }

export function initialModel(providerId: string, mode: 'popup' | 'redirect' = 'popup'): FlowModel {
  return { view: initialState(providerId, mode), run: null, watched: [], paused: false, nextRunId: 1 }
}

/** A run begun `now`, followed at most until `limitAt` without a known expiry, given up after `timeout` ms when set. */
export function newRun(id: number, mode: RunMode, token: string, now: number, limitAt: number, timeout: number | null = null): Run {
  return {
    id,
    mode,
    token,
    sessionId: null,
    startedAt: now,
    createdAt: null,
    expiresAt: null,
    timeoutAt: timeout === null ? null : now + timeout,
    limitAt,
    popup: 'none',
    popupClosedAt: null,
    createRetries: 0,
    polls: 0,
    failures: 0,
    reading: false,
    again: null,
    lastReadAt: null,
    delay: 0,
    notBefore: 0,
    watching: false,
    finalLook: null,
    away: false,
    listening: false,
  }
}
