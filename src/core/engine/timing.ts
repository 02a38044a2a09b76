/** Timer limits and the validation of every timing option. */
import { ConnectError } from '../errors.js'

/** setTimeout fires at once for delays past 2^31−1 ms; wait the longest it can instead. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1

export function clampDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_DELAY)
}

/**
 * Throws `invalid_options` for a timing option that is not a non-negative finite number, and for a
 * zero interval (which would poll in a tight loop).
 */
export function checkTimingOptions<K extends string>(
  options: Partial<Record<K, unknown>>,
  keys: readonly K[],
  positive: readonly K[],
): void {
  for (const key of keys) {
    const value = options[key]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new ConnectError('invalid_options', `\`${key}\` must be a non-negative number of ${key === 'maxRetries' ? 'retries' : 'milliseconds'}.`)
    }
  }
  for (const key of positive) {
    if (options[key] === 0) throw new ConnectError('invalid_options', `\`${key}\` must be more than 0 milliseconds.`)
  }
}
