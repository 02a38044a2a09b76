import type { ConnectLogger } from '../options.js'

/** Every string in a log detail, however deep, is redacted on its own (redacting serialized JSON could break it). */
function cleanValue(value: unknown, clean: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return clean(value)
  if (depth > 8 || typeof value !== 'object' || value === null) return value
  if (value instanceof Error) return clean(`${value.name}: ${value.message}`)
  if (Array.isArray(value)) return value.map(item => cleanValue(item, clean, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cleanValue(item, clean, depth + 1)]))
}

/**
 * Wraps the app's logger so logging never changes an answer (a logger that throws is ignored) and
 * no secret reaches it, in the message or in any detail.
 */
export function safeLogger(logger: ConnectLogger, clean: (text: string) => string): ConnectLogger {
  function log(level: 'warn' | 'error', message: string, details?: Record<string, unknown>): void {
    try {
      logger[level](clean(message), details && (cleanValue(details, clean) as Record<string, unknown>))
    } catch {
      // ignored on purpose
    }
  }
  return {
    warn: (message, details) => log('warn', message, details),
    error: (message, details) => log('error', message, details),
  }
}
