import type { ConnectLogger } from '../log/safe-logger.js'
import { mapUpstreamError, type UpstreamOperation } from './map-upstream-error.js'
import { UpstreamError } from './upstream-error.js'

/** Runs a call to Metorial; its failure becomes the end user's answer, and the developer's log line. */
export type UpstreamCall = <T>(operation: UpstreamOperation, call: () => Promise<T>) => Promise<T>

export function upstreamCall(log: ConnectLogger): UpstreamCall {
  return async (operation, call) => {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error
      const mapped = mapUpstreamError(error, operation)
      if (mapped.detail !== null) {
        log[mapped.level](`react-provider-connect: ${mapped.detail}`, { operation, upstreamStatus: error.status, upstreamCode: error.code, status: mapped.answer.status })
      }
      throw mapped.answer
    }
  }
}
