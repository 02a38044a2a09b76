import { redact } from './redact.js'

/** Where the server reports problems. It never receives the API key or a consent URL's client secret. */
export interface ConnectLogger {
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
}

/** The app's logger behind the one gate every log line passes. */
export interface SafeLogger extends ConnectLogger {
  /**
   * The same logger, also hiding these values wherever they show up: what one call was handed (a
   * BYO client secret, imported tokens), which an upstream may quote back in a shape no pattern knows.
   */
  hiding(secrets: readonly string[]): SafeLogger
}

/** An error as one line for a log detail: its name and message. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** Every string in a log detail, however deep, is redacted on its own (redacting serialized JSON could break it). */
function cleanValue(value: unknown, clean: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return clean(value)
  if (depth > 8 || typeof value !== 'object' || value === null) return value
  if (value instanceof Error) return clean(errorText(value))
  if (Array.isArray(value)) return value.map(item => cleanValue(item, clean, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cleanValue(item, clean, depth + 1)]))
}

/**
 * Wraps the app's logger so logging never changes an answer (a logger that throws is ignored) and
 * no secret reaches it, in the message or in any detail: every line, whoever writes it and whatever
 * upstream text it quotes, passes `redact` with the server's own secrets here.
 */
export function safeLogger(logger: ConnectLogger, secrets: readonly string[]): SafeLogger {
  const clean = (text: string) => redact(text, secrets)
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
    hiding: more => safeLogger(logger, [...secrets, ...more]),
  }
}
