import { defaultConnectionsListLabels } from '../react/connections-list-labels.js'
import { defaultConnectButtonLabels } from '../react/labels.js'
import { defaultLinkPageLabels } from '../server/pages/link-page-labels.js'
import type { Locale } from './locale.js'

/**
 * English: the library's own default strings (the same objects, so no second copy ships), plus
 * one plain sentence per error code. Its labels keep `error.message`, which is already English
 * and more specific.
 */
export const en: Locale = {
  code: 'en',
  dir: 'ltr',
  button: defaultConnectButtonLabels,
  list: defaultConnectionsListLabels,
  errors: {
    network: 'The service could not be reached. Check your connection and try again.',
    http: 'The service answered with an error. Try again in a moment.',
    invalid_response: 'The service sent an answer that could not be read.',
    unsafe_url: 'The sign-in page address was not safe, so it was not opened.',
    popup_blocked: 'Your browser blocked the sign-in window.',
    timeout: 'The sign-in took too long. Try again.',
    aborted: 'The connection was cancelled.',
    session_failed: 'Access was not granted.',
    session_expired: 'The sign-in expired before it was finished.',
    session_archived: 'The sign-in was closed before it was finished.',
    invalid_options: 'This connection is not set up correctly.',
  },
  popup: { connecting: ({ providerName }) => `Connecting to ${providerName}…` },
  link: defaultLinkPageLabels,
}
