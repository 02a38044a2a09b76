/** The machine's data: its model, the events it hears and the effects it asks for. */
import type { ConnectError } from './errors.js'
import type { FlowSettings } from './options.js'
import type { RedirectRecord } from './protocol.js'
import type { CallbackChannelName, PollReason, SetupFlowEvent, SetupFlowState, SetupSession } from './types.js'
import { initialState } from './view.js'

export interface Run {
  id: number
  mode: 'popup' | 'redirect'
  /** The `connect_state` binding callback signals to this run. */
  token: string
  sessionId: string | null
  startedAt: number
  /** Local time the session was created here; null when resumed from another page load. */
  createdAt: number | null
  /** Local time at which the session expires (see `deadline.ts`). */
  expiresAt: number | null
  timeoutAt: number | null
  popupOpen: boolean
  popupClosedAt: number | null
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

export type TimerName = 'poll' | 'expiry' | 'timeout' | 'last_look' | 'grace'

export type FlowEvent =
  | { type: 'start'; mode: 'popup' | 'redirect'; token: string; popup: 'open' | 'blocked' | 'none'; fellBack: boolean }
  | { type: 'created'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'create_failed'; runId: number; error: ConnectError }
  | { type: 'read'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'read_failed'; runId: number; error: ConnectError }
  | { type: 'timer'; runId: number; name: TimerName }
  | { type: 'check'; reason: PollReason; runId?: number; channel?: CallbackChannelName }
  | { type: 'popup_closed'; runId: number }
  | { type: 'popup_reopened' }
  | { type: 'resume'; record: RedirectRecord }
  | { type: 'cancel' }
  | { type: 'reset'; providerId?: string }
  | { type: 'pause' }
  | { type: 'unpause' }
  | { type: 'connection_removed'; authConfigId: string }

/** What the machine needs from the world besides the event: read, never changed. */
export interface FlowContext {
  now: number
  random: number
  hidden: boolean
  focused: boolean
  settings: FlowSettings
}

export type FlowEffect =
  | { type: 'create'; runId: number; mode: 'popup' | 'redirect'; token: string }
  | { type: 'read'; runId: number; sessionId: string }
  | { type: 'set_timer'; runId: number; name: TimerName; ms: number }
  | { type: 'clear_timer'; runId: number; name: TimerName }
  /** Hear callback signals for the run's token, and focus / visibility. */
  | { type: 'listen'; runId: number; token: string }
  | { type: 'watch_popup'; runId: number }
  | { type: 'navigate_popup'; url: string }
  | { type: 'close_popup' }
  /** Abort the run's requests, clear its timers, stop its listeners. */
  | { type: 'release'; runId: number }
  | { type: 'emit'; event: SetupFlowEvent }
  /** The view's status changed here: tell subscribers, `onStatusChange` and `onEvent`. */
  | { type: 'status_changed' }
  | { type: 'redirect'; session: SetupSession; token: string; createdAt: number }
  | { type: 'save_record'; providerId: string; sessionId: string; token: string; createdAt: number }
  /** Forget the provider's redirect record; with `sessionId`, only if it is that session's. */
  | { type: 'clear_record'; providerId: string; sessionId?: string }
  | { type: 'drop_state_param'; token: string }
  | { type: 'session_created'; sessionId: string }
  | { type: 'connected'; session: SetupSession; authConfigId: string }
  | { type: 'failed'; error: ConnectError }

export function initialModel(providerId: string): FlowModel {
  return { view: initialState(providerId), run: null, watched: [], paused: false, nextRunId: 1 }
}

export function newRun(id: number, mode: 'popup' | 'redirect', token: string, now: number): Run {
  return {
    id,
    mode,
    token,
    sessionId: null,
    startedAt: now,
    createdAt: null,
    expiresAt: null,
    timeoutAt: null,
    popupOpen: false,
    popupClosedAt: null,
    polls: 0,
    failures: 0,
    reading: false,
    again: null,
    lastReadAt: null,
    delay: 0,
    notBefore: 0,
    watching: false,
    finalLook: null,
  }
}
