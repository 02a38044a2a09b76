import { ConnectServerError } from '../http/connect-server-error.js'
import { mapUpstreamError, type UpstreamOperation } from './map-upstream-error.js'
import type { ConnectLogger } from '../options.js'
import { UpstreamError } from './upstream-error.js'

export interface Steps {
  /** Runs an upstream step; its failure becomes the end user's answer, and the developer's log line. */
  upstream<T>(operation: UpstreamOperation, step: () => Promise<T>): Promise<T>
  /** Store failures are the app's: logged in full, answered as a retryable 503 without internals. */
  stored<T>(what: string, step: () => Promise<T>): Promise<T>
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

export function steps(log: ConnectLogger, clean: (text: string) => string): Steps {
  return {
    async upstream(operation, step) {
      try {
        return await step()
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error
        const mapped = mapUpstreamError(error, operation, clean)
        if (mapped.detail !== null) {
          log[mapped.level](`react-provider-connect: ${mapped.detail}`, { operation, upstreamStatus: error.status, upstreamCode: error.code, status: mapped.answer.status })
        }
        throw mapped.answer
      }
    },
    async stored(what, step) {
      try {
        return await step()
      } catch (error) {
        log.error(`react-provider-connect: the connection store failed to ${what}.`, { error: errorText(error) })
        throw new ConnectServerError(503, 'store_unavailable', 'Your connections could not be reached just now. Try again.')
      }
    },
  }
}
