import { useState, useSyncExternalStore } from 'react'
import { detectInAppBrowser, systemBrowserUrl } from '../core/browser/in-app-browser.js'
import type { InAppBrowser } from '../core/browser/in-app-browser.js'
import { useConnectionsListContext } from './connections-list-context.js'
import type { ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import { useConnectContext } from './context.js'

const noSubscription = () => () => {}
const userAgent = () => navigator.userAgent
// The server renders the row as in a real browser; the client corrects it after hydration.
const noUserAgent = () => ''

/**
 * The in-app browser the page runs in when `provider` refuses it (its consent page would fail), else
 * null. Reads the `ConnectProvider`'s `environment.userAgent` when it has one, like the flow does.
 */
export function useRefusingInAppBrowser(provider: ConnectionsListProvider): InAppBrowser | null {
  const list = useConnectionsListContext('ConnectionsListRow')
  const agent = useSyncExternalStore(noSubscription, useConnectContext()?.environment?.userAgent ?? userAgent, noUserAgent)
  const browser = agent ? detectInAppBrowser(agent) : null
  return browser && list.refusesInAppBrowser(provider) ? browser : null
}

/** Copies `text`: the Clipboard API, else a selected textarea and `copy` (older web views). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const field = document.createElement('textarea')
    field.value = text
    // Read-only, so a phone does not open its keyboard for it.
    field.readOnly = true
    field.style.position = 'fixed'
    field.style.opacity = '0'
    document.body.append(field)
    field.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    } finally {
      field.remove()
    }
  }
}

/**
 * Shown on a row instead of Connect when the provider refuses the in-app browser the page runs in:
 * why, "Open in your browser" where the platform offers a way (an Android intent, iOS 17's
 * `x-safari-https:`), and "Copy link", whose result is said in a polite live region.
 */
export function InAppBrowserNotice({ provider, browser }: { provider: ConnectionsListProvider; browser: InAppBrowser }) {
  const { cls, label: listLabel } = useConnectionsListContext('InAppBrowserNotice')
  const environment = useConnectContext()?.environment
  const [copied, setCopied] = useState<boolean | null>(null)
  const label = (name: keyof ConnectionsListLabels) => listLabel(name, { providerName: provider.name })
  const page = environment?.locationHref?.() ?? window.location.href
  const open = systemBrowserUrl(page, browser)
  return (
    <div className={cls('inAppBrowser')} data-in-app-browser={browser.app}>
      <p className={cls('inAppBrowserMessage')}>{label('inAppBrowserRefused')}</p>
      <div className={cls('inAppBrowserActions')}>
        {open && (
          <a className={cls('openInBrowser')} href={open} data-action="open-in-browser">
            {label('openInBrowser')}
          </a>
        )}
        <button
          type="button"
          className={cls('copyLink')}
          data-action="copy-link"
          onClick={() => {
            // Emptied first, so a second copy is announced again.
            setCopied(null)
            void copyText(page).then(setCopied)
          }}
        >
          {label('copyLink')}
        </button>
      </div>
      <p className={cls('inAppBrowserStatus')} role="status" aria-live="polite">
        {copied === null ? '' : label(copied ? 'linkCopied' : 'linkCopyFailed')}
      </p>
    </div>
  )
}
