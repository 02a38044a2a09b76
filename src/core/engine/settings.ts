/** What the rules read of the options: every number and choice, defaults included. */
import type { SetupMode } from '../types.js'
import { DEFAULT_POLL_SCHEDULE } from './schedule.js'

/** Every number and choice the rules read, defaults included. */
export interface FlowSettings {
  /** The mode of the next click, `'auto'` resolved for this browser. */
  mode: 'popup' | 'redirect'
  redirectFallback: boolean
  pollInterval: number
  maxPollInterval: number
  timeout: number | null
  requestTimeout: number
  closeGrace: number
  maxRetries: number
  watchInterval: number
}

/**
 * The options the settings come from (a flow's or `waitForSetupSession`'s), each optional: the same
 * names, with `mode` before `'auto'` is resolved and no timeout written as absent.
 */
export type SettingsInput = Partial<Omit<FlowSettings, 'mode' | 'timeout'>> & { mode?: SetupMode; timeout?: number }

/**
 * The settings of `options`; `redirectPreferred` resolves `mode: 'auto'` (see `browser/detect.ts`).
 * In a frame (`framed`) a blocked popup never falls back to redirect mode, which would navigate the
 * frame to a consent page that refuses to be framed: the user gets the new-tab link instead.
 */
export function settingsOf(options: SettingsInput, redirectPreferred = false, framed = false): FlowSettings {
  const pollInterval = options.pollInterval ?? DEFAULT_POLL_SCHEDULE.initial
  const mode = options.mode === 'auto' ? (redirectPreferred ? 'redirect' : 'popup') : (options.mode ?? 'popup')
  return {
    mode,
    redirectFallback: !framed && !!options.redirectFallback,
    pollInterval,
    maxPollInterval: Math.max(pollInterval, options.maxPollInterval ?? DEFAULT_POLL_SCHEDULE.max),
    timeout: options.timeout ?? null,
    requestTimeout: options.requestTimeout ?? 15_000,
    closeGrace: options.closeGrace ?? 2000,
    maxRetries: options.maxRetries ?? 5,
    watchInterval: options.watchInterval ?? 15_000,
  }
}
