/** The public status helpers: what a status means for the UI. */
import type { SetupFlowStatus } from '../types.js'

export { isActiveStatus, isFinalStatus, statusForSession } from './view.js'
export { isFinalSessionStatus } from '../backend/normalize.js'

/** True for the statuses after which trying again makes sense. */
export function canRetry(status: SetupFlowStatus): boolean {
  return status === 'expired' || status === 'failed' || status === 'archived' || status === 'cancelled' || status === 'error'
}
