/** Where redirect mode works better than a popup (`mode: 'auto'`). */
import type { FlowEnvironment } from './environment.js'

/**
 * In-app browsers where popups open in a sheet that cannot talk back, or not at all: Facebook,
 * Instagram, LinkedIn, Line, WeChat, TikTok, Snapchat, Twitter/X, and Android WebViews.
 */
const IN_APP_BROWSER = /\b(FBAN|FBAV|FB_IAB|Instagram|LinkedInApp|Line\/|MicroMessenger|BytedanceWebview|musical_ly|TikTok|Snapchat|Twitter)\b|; wv\)/i

/** True where a full-page redirect works better than a popup: in-app browsers and iframes. */
export function prefersRedirect(env: Pick<FlowEnvironment, 'userAgent' | 'isFramed'>): boolean {
  return IN_APP_BROWSER.test(env.userAgent()) || env.isFramed()
}
