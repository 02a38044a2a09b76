/**
 * The flow's state machine: every status transition lives here, as a pure function.
 * `SetupFlow` decides *when* an event happens (timers, popups, polls); this decides *what* it does.
 */
import { ConnectError } from './errors.js'
import type { FinalFlowStatus, SetupFlowState, SetupFlowStatus, SetupSession } from './types.js'

export type MachineEvent =
  /** `start()`: a new attempt begins. */
  | { type: 'start' }
  /** The backend created a session. */
  | { type: 'created'; session: SetupSession }
  /** Redirect mode came back from the consent page: follow the stored session. */
  | { type: 'resume' }
  /** A read of the session's status (a poll, a hint-triggered check). */
  | { type: 'observed'; session: SetupSession }
  /** An earlier attempt, still watched after the user started again, completed after all. */
  | { type: 'adopt'; session: SetupSession }
  /** The popup was blocked (the session goes on; the UI offers a new tab). */
  | { type: 'popup_blocked' }
  /** The popup is open after all (the "new tab" link worked). */
  | { type: 'popup_opened' }
  /** Something failed for good: a non-transient error, or too many transient ones. */
  | { type: 'failure'; error: ConnectError }
  /** The popup closed, the grace passed, and the backend still says pending. */
  | { type: 'closed' }
  /** The flow's own deadline passed: the session's `expiresAt` or the `timeout` option. */
  | { type: 'deadline'; reason: 'expired' | 'timeout' }
  /** `cancel()`. */
  | { type: 'cancel' }
  /** `reset()`. */
  | { type: 'reset' }

const POPUP_BLOCKED = new ConnectError('popup_blocked', 'The browser blocked the popup: open the consent page from a click instead.')

const FINAL: ReadonlySet<SetupFlowStatus> = new Set<FinalFlowStatus>(['completed', 'expired', 'failed', 'archived', 'cancelled', 'error'])

export function isFinalStatus(status: SetupFlowStatus): status is FinalFlowStatus {
  return FINAL.has(status)
}

/** True while a session is being created or followed. */
export function isActiveStatus(status: SetupFlowStatus): status is 'creating' | 'pending' {
  return status === 'creating' || status === 'pending'
}

export function initialState(providerId: string): SetupFlowState {
  return { status: 'idle', session: null, authConfigId: null, error: null, popupBlocked: false, providerId }
}

function sessionError(session: SetupSession, status: 'failed' | 'expired' | 'archived'): ConnectError {
  if (status === 'failed') {
    return new ConnectError('session_failed', session.error?.message ?? 'The provider did not grant access.', {
      backendCode: session.error?.code,
    })
  }
  if (status === 'expired') return new ConnectError('session_expired', 'The setup session expired before it was completed.')
  return new ConnectError('session_archived', 'The setup session was closed before it was completed.')
}

/** The flow status a backend session status leads to. */
export function statusForSession(session: SetupSession): SetupFlowStatus {
  switch (session.status) {
    case 'pending':
      return 'pending'
    case 'completed':
      return 'completed'
    case 'failed':
      return 'failed'
    case 'expired':
      return 'expired'
    case 'archived':
    case 'deleted':
      return 'archived'
  }
}

function settle(state: SetupFlowState, session: SetupSession): SetupFlowState {
  const status = statusForSession(session)
  if (status === 'completed') {
    return { ...state, status, session, authConfigId: session.authConfig?.id ?? null, error: null }
  }
  if (status === 'failed' || status === 'expired' || status === 'archived') {
    return { ...state, status, session, error: sessionError(session, status) }
  }
  return { ...state, status: 'pending', session }
}

/**
 * The next state. Rules worth knowing:
 * - `completed` is never left, except by `start()` or `reset()`.
 * - After `cancelled` or `error`, only a `completed` observation moves the flow on: the consent
 *   page may still be open, and a late success is never thrown away.
 * - Anything that arrives for a status it does not apply to is ignored (returns `state` itself).
 */
export function transition(state: SetupFlowState, event: MachineEvent): SetupFlowState {
  const { status } = state
  switch (event.type) {
    case 'start':
      return { ...initialState(state.providerId), status: 'creating' }
    case 'reset':
      return initialState(state.providerId)
    case 'resume':
      return isActiveStatus(status) ? state : { ...initialState(state.providerId), status: 'pending' }
    case 'created':
      return status === 'creating' ? settle(state, event.session) : state
    case 'observed': {
      if (status === 'pending') return settle(state, event.session)
      const lateSuccess = status === 'cancelled' || status === 'error'
      if (lateSuccess && event.session.status === 'completed') return settle(state, event.session)
      return state
    }
    case 'adopt':
      if (status === 'idle' || status === 'completed' || event.session.status !== 'completed') return state
      return settle({ ...state, popupBlocked: false }, event.session)
    case 'popup_blocked':
      // Not a failure (the status stays, onError does not fire); `error` says why nothing opened.
      return isActiveStatus(status) ? { ...state, popupBlocked: true, error: POPUP_BLOCKED } : state
    case 'popup_opened':
      return state.popupBlocked ? { ...state, popupBlocked: false, error: state.error === POPUP_BLOCKED ? null : state.error } : state
    case 'failure':
      return isActiveStatus(status) ? { ...state, status: 'error', error: event.error } : state
    case 'closed':
      return status === 'pending' ? { ...state, status: 'cancelled', popupBlocked: false } : state
    case 'deadline':
      if (status !== 'pending') return state
      return event.reason === 'expired'
        ? { ...state, status: 'expired', error: new ConnectError('session_expired', 'The setup session expired before it was completed.') }
        : { ...state, status: 'error', error: new ConnectError('timeout', 'The connection took too long and was stopped.') }
    case 'cancel':
      return isActiveStatus(status) ? { ...state, status: 'cancelled', popupBlocked: false } : state
  }
}
