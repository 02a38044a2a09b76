/** What the UI sees (`SetupFlowState`), how a session's status maps onto it, and the errors that end a flow. Pure. */
import { ConnectError } from '../errors.js'
import type { FinalFlowStatus, SetupFlowState, SetupFlowStatus, SetupSession } from '../types.js'

export const POPUP_BLOCKED = new ConnectError('popup_blocked', 'The browser blocked the popup.')

export function isFinalStatus(status: SetupFlowStatus): status is FinalFlowStatus {
  return status !== 'idle' && !isActiveStatus(status)
}

/** True while a session is being created or followed. */
export function isActiveStatus(status: SetupFlowStatus): status is 'creating' | 'pending' {
  return status === 'creating' || status === 'pending'
}

export function initialState(providerId: string, mode: 'popup' | 'redirect'): SetupFlowState {
  return { status: 'idle', session: null, authConfigId: null, error: null, popupBlocked: false, providerId, mode }
}

export function expiredError(): ConnectError {
  return new ConnectError('session_expired', 'The setup session expired before it was completed.')
}

export function timeoutError(): ConnectError {
  return new ConnectError('timeout', 'The connection took too long and was stopped.')
}

function sessionError(session: SetupSession, status: 'failed' | 'expired' | 'archived'): ConnectError {
  if (status === 'failed') {
    return new ConnectError('session_failed', session.error?.message ?? 'The provider did not grant access.', {
      backendCode: session.error?.code,
    })
  }
  if (status === 'expired') return expiredError()
  return new ConnectError('session_archived', 'The setup session was closed before it was completed.')
}

/** The flow status a backend session status leads to. */
export function statusForSession(session: SetupSession): SetupFlowStatus {
  return session.status === 'deleted' ? 'archived' : session.status
}

/** The view after the backend reported `session`. */
export function viewAfter(state: SetupFlowState, session: SetupSession): SetupFlowState {
  const status = statusForSession(session)
  if (status === 'completed') {
    return { ...state, status, session, authConfigId: session.authConfig?.id ?? null, error: null, popupBlocked: false }
  }
  if (status === 'failed' || status === 'expired' || status === 'archived') {
    return { ...state, status, session, error: sessionError(session, status), popupBlocked: false }
  }
  return { ...state, status: 'pending', session }
}
