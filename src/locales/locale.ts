import type { ConnectErrorCode } from '../core/errors.js'
import type { ConnectButtonLabels } from '../react/labels.js'
import type { ConnectionsListLabels } from '../react/connections-list-labels.js'
import type { ConnectLinkPageLabels } from '../server/pages/link-page-labels.js'

export type { ConnectLinkPageLabels, LinkPageLabel, LinkPageLabelContext } from '../server/pages/link-page-labels.js'

/** What the popup's placeholder page says, before the consent page loads. */
export interface PopupLabels {
  /** The placeholder's title and text. English: "Connecting to {providerName}…". */
  connecting: (context: { providerName: string }) => string
}

/**
 * One language of the library: every string the button, the list (catalogue search, chips, dialog,
 * rename and revoked states), the popup placeholder and the connect-link pages show or announce,
 * and what an end user reads for each error code. Every key is required, so a missing string is a
 * type error. Plain data: no React, nothing from the browser.
 *
 * To add a language, copy a shipped one (`en`, `de`, …), change `code` and `dir`, and translate
 * each value. Functions receive the context (provider name, date, count, error) so word order and
 * plurals stay natural: use `Intl.PluralRules(code)` for counts; dates arrive already formatted
 * with `Intl.DateTimeFormat(code)`. Error text in labels should come from the locale's own
 * `errors[error.code]`, not from `error.message` (which is English).
 */
export interface Locale {
  /** BCP 47 tag, for `Intl` and the `lang` attribute: 'en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'zh-CN', 'ar'. */
  code: string
  /** Writing direction, set as `dir` on the library's roots. */
  dir: 'ltr' | 'rtl'
  /** `ProviderConnectButton`'s strings. */
  button: ConnectButtonLabels
  /** `ConnectionsList`'s strings (and its toolbar, rows and dialog). */
  list: ConnectionsListLabels
  /** What an end user reads for each `ConnectError` code, one short sentence each. */
  errors: Record<ConnectErrorCode, string>
  /** The popup's placeholder page. */
  popup: PopupLabels
  /** The connect-link pages the server renders (`createConnectLink`). */
  link: ConnectLinkPageLabels
}
