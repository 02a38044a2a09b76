import { ConnectServerError } from '../http/connect-server-error.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'

/** Runs a call to the store; a failure is the app's: logged in full, answered as a retryable 503 without internals. */
export type StoreCall = <T>(what: string, call: () => Promise<T>) => Promise<T>

export function storeCall(log: ConnectLogger): StoreCall {
  return async (what, call) => {
    try {
      return await call()
    } catch (error) {
      log.error(`react-provider-connect: the connection store failed to ${what}.`, { error: errorText(error) })
      throw new ConnectServerError(503, 'store_unavailable', 'Your connections could not be reached just now. Try again.')
    }
  }
}
