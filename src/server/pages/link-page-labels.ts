/** The words of the connect-link pages, apart from their markup so a `Locale` can carry them. */

/** What a link page's label is told. */
export interface LinkPageLabelContext {
  /** The provider's display name (the catalogue's, else its id). */
  providerName: string
  /** The app's name (the server's `appName` option), else null. */
  appName: string | null
}

/** A fixed string, or a function of the context. */
export type LinkPageLabel = string | ((context: LinkPageLabelContext) => string)

/** Every string the connect-link pages show: a title, its text and, for some, one button. */
export interface ConnectLinkPageLabels {
  /** Defaults to "Connect {providerName}". */
  startTitle: LinkPageLabel
  /** Defaults to "{appName} asks to connect your {providerName} account." ("Connect your {providerName} account." without an app name). */
  startText: LinkPageLabel
  /** Defaults to "You will sign in at {providerName} and choose what to allow.". */
  startHint: LinkPageLabel
  /** Defaults to "Connect {providerName}". */
  startButton: LinkPageLabel
  /** Defaults to "{providerName} is connected". */
  connectedTitle: LinkPageLabel
  /** Defaults to "You can close this tab.". */
  connectedText: LinkPageLabel
  /** Defaults to "{providerName} was not connected". */
  failedTitle: LinkPageLabel
  /** Defaults to "Access was denied, or the connection did not finish. You can try again while this link is valid.". */
  failedText: LinkPageLabel
  /** Defaults to "Try again". */
  failedButton: LinkPageLabel
  /** Defaults to "This link has expired". */
  expiredTitle: LinkPageLabel
  /** Defaults to "Ask for a new link to connect {providerName}.". */
  expiredText: LinkPageLabel
  /** Defaults to "This link was already used". */
  usedTitle: LinkPageLabel
  /** Defaults to "{providerName} was connected with it. Ask for a new link to connect again.". */
  usedText: LinkPageLabel
  /** Defaults to "Link not found". */
  notFoundTitle: LinkPageLabel
  /** Defaults to "This link does not exist or was withdrawn. Ask for a new one.". */
  notFoundText: LinkPageLabel
  /** Defaults to "Too many attempts". */
  busyTitle: LinkPageLabel
  /** Defaults to "Wait a minute, then open the link again.". */
  busyText: LinkPageLabel
  /** Defaults to "Something went wrong". */
  errorTitle: LinkPageLabel
  /** Defaults to "The connection could not be started just now. Try again in a moment.". */
  errorText: LinkPageLabel
  /** Defaults to "Try again". */
  errorButton: LinkPageLabel
}

export const defaultLinkPageLabels: ConnectLinkPageLabels = {
  startTitle: ({ providerName }) => `Connect ${providerName}`,
  startText: ({ providerName, appName }) => (appName ? `${appName} asks to connect your ${providerName} account.` : `Connect your ${providerName} account.`),
  startHint: ({ providerName }) => `You will sign in at ${providerName} and choose what to allow.`,
  startButton: ({ providerName }) => `Connect ${providerName}`,
  connectedTitle: ({ providerName }) => `${providerName} is connected`,
  connectedText: 'You can close this tab.',
  failedTitle: ({ providerName }) => `${providerName} was not connected`,
  failedText: 'Access was denied, or the connection did not finish. You can try again while this link is valid.',
  failedButton: 'Try again',
  expiredTitle: 'This link has expired',
  expiredText: ({ providerName }) => `Ask for a new link to connect ${providerName}.`,
  usedTitle: 'This link was already used',
  usedText: ({ providerName }) => `${providerName} was connected with it. Ask for a new link to connect again.`,
  notFoundTitle: 'Link not found',
  notFoundText: 'This link does not exist or was withdrawn. Ask for a new one.',
  busyTitle: 'Too many attempts',
  busyText: 'Wait a minute, then open the link again.',
  errorTitle: 'Something went wrong',
  errorText: 'The connection could not be started just now. Try again in a moment.',
  errorButton: 'Try again',
}

export function resolveLinkPageLabel(label: LinkPageLabel, context: LinkPageLabelContext): string {
  return typeof label === 'function' ? label(context) : label
}
