import type { ConnectError } from '../core/errors.js'

/** What a label is told: the provider's display name and, in error states, the error. */
export interface LabelContext {
  providerName: string
  error: ConnectError | null
}

/** A fixed string, or a function of the context (for interpolation and plurals in any language). */
export type Label = string | ((context: LabelContext) => string)

export function resolveLabel(label: Label, context: LabelContext): string {
  return typeof label === 'function' ? label(context) : label
}

/** Every string `ProviderConnectButton` shows or announces. Pass any subset as `labels`. */
export interface ConnectButtonLabels {
  /** Button text, idle. Defaults to "Connect {providerName}". */
  connect: Label
  /** Button text while the session is created. Defaults to "Connecting…". */
  creating: Label
  /** Button text while the user is on the consent page. Defaults to "Waiting for {providerName}…". */
  pending: Label
  /** Button text while pending after the popup was blocked (a click tries again). Defaults to "Open {providerName}". */
  blocked: Label
  /** Button text once connected. Defaults to "{providerName} connected". */
  completed: Label
  /** Button text after a failure, expiry, archive or error. Defaults to "Try {providerName} again". */
  retry: Label
  /** Added to the button's accessible name in popup mode (in redirect mode the page itself moves on). Defaults to "(opens in a new window)". */
  opensInNewWindow: Label
  /** The cancel button shown while pending. Defaults to "Cancel". */
  cancel: Label
  /** Shown when the popup was blocked. Defaults to "Your browser blocked the {providerName} window.". */
  popupBlocked: Label
  /** The link that opens the consent page in a new tab. Defaults to "Continue in a new tab". */
  continueInNewTab: Label
  /** Shown under the button after `expired`. Defaults to "The session expired before it was finished.". */
  expiredMessage: Label
  /** Shown under the button after `archived`. Defaults to "The session was closed before it was finished.". */
  archivedMessage: Label
  /** Live-region announcements, one per status. */
  announceCreating: Label
  announcePending: Label
  /** Announced while pending in redirect mode (the page goes to, or is back from, the consent page). Defaults to "Continuing to {providerName}…". */
  announceRedirect: Label
  announceCompleted: Label
  announceFailed: Label
  announceExpired: Label
  announceArchived: Label
  announceCancelled: Label
  announceError: Label
}

export const defaultConnectButtonLabels: ConnectButtonLabels = {
  connect: ({ providerName }) => `Connect ${providerName}`,
  creating: 'Connecting…',
  pending: ({ providerName }) => `Waiting for ${providerName}…`,
  blocked: ({ providerName }) => `Open ${providerName}`,
  completed: ({ providerName }) => `${providerName} connected`,
  retry: ({ providerName }) => `Try ${providerName} again`,
  opensInNewWindow: '(opens in a new window)',
  cancel: 'Cancel',
  popupBlocked: ({ providerName }) => `Your browser blocked the ${providerName} window.`,
  continueInNewTab: 'Continue in a new tab',
  expiredMessage: 'The session expired before it was finished.',
  archivedMessage: 'The session was closed before it was finished.',
  announceCreating: ({ providerName }) => `Connecting to ${providerName}…`,
  announcePending: ({ providerName }) => `Finish connecting in the ${providerName} window.`,
  announceRedirect: ({ providerName }) => `Continuing to ${providerName}…`,
  announceCompleted: ({ providerName }) => `${providerName} connected.`,
  announceFailed: ({ providerName, error }) => `${providerName} was not connected: ${error?.message ?? 'access was not granted.'}`,
  announceExpired: ({ providerName }) => `The ${providerName} connection expired. Try again.`,
  announceArchived: ({ providerName }) => `The ${providerName} connection was closed. Try again.`,
  announceCancelled: ({ providerName }) => `${providerName} connection cancelled.`,
  announceError: ({ providerName, error }) => `Could not connect ${providerName}: ${error?.message ?? 'something went wrong.'}`,
}
