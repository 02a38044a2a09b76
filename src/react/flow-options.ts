import type { UseSetupSessionOptions } from './use-setup-session.js'

/** The flow options that make sense list-wide; each row runs its own flow with them. */
export type ConnectionsListFlowOptions = Pick<
  UseSetupSessionOptions,
  | 'redirectUrl'
  | 'mode'
  | 'redirectFallback'
  | 'pollInterval'
  | 'maxPollInterval'
  | 'timeout'
  | 'requestTimeout'
  | 'closeGrace'
  | 'maxRetries'
  | 'watchInterval'
  | 'popupSize'
  | 'metadata'
  | 'resume'
  | 'onEvent'
  | 'backend'
>

/** Their names, to split them from a component's other props (the list's and the button's alike). */
export const FLOW_OPTION_KEYS = [
  'redirectUrl',
  'mode',
  'redirectFallback',
  'pollInterval',
  'maxPollInterval',
  'timeout',
  'requestTimeout',
  'closeGrace',
  'maxRetries',
  'watchInterval',
  'popupSize',
  'metadata',
  'resume',
  'onEvent',
  'backend',
] as const satisfies ReadonlyArray<keyof ConnectionsListFlowOptions>
