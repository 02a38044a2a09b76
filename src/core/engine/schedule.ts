/** Every delay of the engine: polling, retries, the popup watch and the last look, as constants and pure functions. */
import type { ConnectError } from '../errors.js'

export interface PollSchedule {
  /** First delay, in ms. */
  initial: number
  /** The longest delay between two polls, in ms. */
  max: number
  /** Growth per poll. */
  factor: number
  /** Fraction of the delay drawn at random either way, so many tabs do not poll in step. */
  jitter: number
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initial: 1000, max: 5000, factor: 1.5, jitter: 0.2 }

/** Delay before retrying after `failures` consecutive transient failures: 1 s, 2 s, 4 s … 30 s. */
export const RETRY_SCHEDULE: PollSchedule = { initial: 1000, max: 30_000, factor: 2, jitter: 0.2 }

/** The delay before poll number `attempt` (0-based), with `random` in [0, 1). */
export function delayFor(schedule: PollSchedule, attempt: number, random: number): number {
  const raw = Math.min(schedule.initial * schedule.factor ** Math.max(0, attempt), schedule.max)
  const spread = raw * schedule.jitter * (2 * random - 1)
  return Math.max(0, Math.round(raw + spread))
}

/** The schedule for an `initial` interval (the `pollInterval` option), never polling faster than it. */
export function pollScheduleFor(initial: number | undefined, max: number | undefined): PollSchedule {
  const first = initial ?? DEFAULT_POLL_SCHEDULE.initial
  return { ...DEFAULT_POLL_SCHEDULE, initial: first, max: Math.max(first, max ?? DEFAULT_POLL_SCHEDULE.max) }
}

/** After the first minute, checks slow down until one per this many ms. */
export const SLOW_POLL_INTERVAL = 30_000
/** Focus and visibility check at once, unless the backend was asked less than this long ago. */
export const WAKE_CHECK_GAP = 25_000
/** How long the fast schedule lasts. */
export const FAST_PHASE = 60_000

/**
 * The delay before scheduled check number `polls`, `elapsed` ms after the flow began: the fast
 * schedule for the first minute, then a quarter of the time waited so far (a user who has not
 * finished in a minute is rarely seconds away), up to one check per 30 s from the second minute on.
 */
export function pollDelay(schedule: PollSchedule, polls: number, elapsed: number, random: number): number {
  const fast = delayFor(schedule, polls, random)
  if (elapsed < FAST_PHASE) return fast
  return Math.max(fast, Math.round(Math.min(elapsed / 4, Math.max(SLOW_POLL_INTERVAL, schedule.max))))
}

/** The delay before the next try after `failures` consecutive failures (0-based), honouring `Retry-After`. */
export function retryDelay(error: ConnectError, failures: number, random: number): number {
  return Math.max(delayFor(RETRY_SCHEDULE, failures, random), error.retryAfterMs ?? 0)
}

/** How often the popup is checked for being closed. */
export const POPUP_CHECK_INTERVAL = 500
/** A create is retried at most this many times, and only where the backend said it did nothing. */
export const CREATE_RETRIES = 2
/** The last look at a deadline waits at most this long (and never longer than `requestTimeout`). */
export const LAST_LOOK_MAX = 5000
