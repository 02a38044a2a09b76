import type { ConnectLogger } from './options.js'

/**
 * Wraps the app's logger so logging never changes an answer (a logger that throws is ignored) and
 * every string is redacted on its own (redacting serialized JSON could break it).
 */
export function safeLogger(logger: ConnectLogger, clean: (text: string) => string): ConnectLogger {
  function log(level: 'warn' | 'error', message: string, details?: Record<string, unknown>): void {
    try {
      const cleaned = details && Object.fromEntries(Object.entries(details).map(([key, value]) => [key, typeof value === 'string' ? clean(value) : value]))
      logger[level](clean(message), cleaned)
    } catch {
      // ignored on purpose
    }
  }
  return {
    warn: (message, details) => log('warn', message, details),
    error: (message, details) => log('error', message, details),
  }
}
