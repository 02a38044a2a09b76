/** Where redirect mode works better than a popup (`mode: 'auto'`), and where it must not be used. */
import type { FlowEnvironment } from './environment.js'

/**
 * In-app browsers where popups open in a sheet that cannot talk back, or not at all: Facebook,
 * Instagram, LinkedIn, Line, WeChat, TikTok, Snapchat, Twitter/X, and Android WebViews.
 */
const IN_APP_BROWSER = /\b(FBAN|FBAV|FB_IAB|Instagram|LinkedInApp|Line\/|MicroMessenger|BytedanceWebview|musical_ly|TikTok|Snapchat|Twitter)\b|; wv\)/i

/**
 * True where a full-page redirect works better than a popup: in-app browsers. Never inside a frame:
 * redirecting would navigate the frame itself to the consent page, which providers refuse to show
 * framed; a popup opened from a frame works, and the callback page reaches the frame or polling does.
 */
export function prefersRedirect(env: Pick<FlowEnvironment, 'userAgent' | 'isFramed'>): boolean {
  return !env.isFramed() && IN_APP_BROWSER.test(env.userAgent())
}
