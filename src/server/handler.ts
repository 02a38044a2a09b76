import type { ConnectServerOptions } from './options.js'
import { createConnectServer, type ConnectHandler } from './server.js'

/** `createConnectServer(options).handler`: the four routes alone, for apps that need nothing else. */
export function createConnectHandler(options: ConnectServerOptions): ConnectHandler {
  return createConnectServer(options).handler
}
