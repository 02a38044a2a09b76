/**
 * In-app browsers (the web view a social or chat app opens a link in), and the way out of them to
 * the system browser. Some providers refuse to sign in there: Google answers `403
 * disallowed_useragent`, and neither a popup nor a redirect gets past it.
 */

/** An in-app browser, as its user agent tells it. */
export interface InAppBrowser {
  /** The app whose web view this is; `webview` for an app that does not say. */
  app: 'facebook' | 'instagram' | 'linkedin' | 'line' | 'wechat' | 'tiktok' | 'twitter' | 'snapchat' | 'webview'
  platform: 'android' | 'ios' | 'other'
  /** iOS's major version (17 for `OS 17_2`), else null. */
  iosVersion: number | null
}

/** The apps that say who they are, first match wins (Instagram's UA on Android also says `wv`). */
const APPS: ReadonlyArray<readonly [InAppBrowser['app'], RegExp]> = [
  ['instagram', /\bInstagram\b/],
  ['facebook', /\bFBAN\/|\bFBAV\/|\bFB_IAB\//],
  ['linkedin', /\bLinkedInApp\b/],
  ['line', /\bLine\//],
  ['wechat', /\bMicroMessenger\//],
  ['tiktok', /BytedanceWebview|musical_ly|\btrill_/],
  ['twitter', /\bTwitter for iP(hone|ad)\b|\bTwitterAndroid\b/],
  ['snapchat', /\bSnapchat\//],
]

/**
 * The in-app browser `userAgent` belongs to, or null for a real browser (Safari, Chrome, Firefox,
 * Edge, Samsung Internet, and their iOS versions). Besides the apps that name themselves, an Android
 * WebView says `; wv)`, and an iOS web view (`WKWebView`) is an iPhone or iPad without Safari's
 * `Safari/` token, which every iOS browser keeps.
 */
export function detectInAppBrowser(userAgent: string): InAppBrowser | null {
  const ios = /\b(iPhone|iPad|iPod)\b/.test(userAgent)
  const platform: InAppBrowser['platform'] = /\bAndroid\b/.test(userAgent) ? 'android' : ios ? 'ios' : 'other'
  const iosVersion = ios ? Number(/\bOS (\d+)_/.exec(userAgent)?.[1] ?? NaN) || null : null
  const named = APPS.find(([, pattern]) => pattern.test(userAgent))?.[0]
  const app = named ?? ((platform === 'android' && /; wv\)/.test(userAgent)) || (ios && !/\bSafari\//.test(userAgent)) ? 'webview' : null)
  return app ? { app, platform, iosVersion } : null
}

/**
 * A link that opens `pageUrl` in the system browser from inside `browser`, or null where the
 * platform offers none (then the user copies the link). Android: an `intent:` URL for the same page,
 * with the page itself as `S.browser_fallback_url`. iOS 17 and later: `x-safari-https:`.
 */
export function systemBrowserUrl(pageUrl: string, browser: InAppBrowser): string | null {
  let url: URL
  try {
    url = new URL(pageUrl)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  const scheme = url.protocol.slice(0, -1)
  if (browser.platform === 'android') {
    // The intent's own fragment carries its parameters: the page's fragment cannot ride along.
    const target = `${url.host}${url.pathname}${url.search}`
    return `intent://${target}#Intent;scheme=${scheme};action=android.intent.action.VIEW;S.browser_fallback_url=${encodeURIComponent(url.href)};end`
  }
  if (browser.platform === 'ios' && (browser.iosVersion ?? 0) >= 17) return `x-safari-${url.href}`
  return null
}

/**
 * Providers known to refuse in-app browsers, matched against a provider's id and name: Google's
 * (Google Calendar, Gmail, Google Drive, YouTube …), which answer `403 disallowed_useragent`.
 */
export const DEFAULT_REFUSES_IN_APP_BROWSER = /google|gmail|youtube/i
