/** The popup window: its features, opening it inside the click, and the placeholder it shows first. */
import type { FlowEnvironment, PopupHandle } from './environment.js'
import { POPUP_NAME_PREFIX } from '../protocol.js'

const DEFAULT_SIZE = { width: 500, height: 700 }

/** `window.open` features for a popup centred on the opener. */
export function popupFeatures(env: FlowEnvironment, size: { width: number; height: number } = DEFAULT_SIZE): string {
  const box = env.screenBox()
  const features = [`popup=yes`, `width=${size.width}`, `height=${size.height}`]
  if (box) {
    features.push(`left=${Math.round(box.left + (box.width - size.width) / 2)}`)
    features.push(`top=${Math.round(box.top + (box.height - size.height) / 2)}`)
  }
  return features.join(',')
}

/**
 * Opens a window synchronously (it must happen inside the user's click). The opener is kept on
 * purpose: the callback page posts its message through it. Returns null when blocked.
 */
export function openPopup(env: FlowEnvironment, providerId: string, features: string, url = 'about:blank'): PopupHandle | null {
  try {
    return env.openWindow(url, `${POPUP_NAME_PREFIX}${providerId.replace(/[^\w-]/g, '_')}`, features)
  } catch {
    return null
  }
}

/** Fills the blank popup with `text` (the flow's `popupText`, "Connecting to {provider}…" by default) until the consent page loads. */
export function writePlaceholder(popup: PopupHandle, text: string): void {
  try {
    const doc = popup.document
    if (!doc?.body) return
    doc.title = text
    const style = doc.createElement('style')
    // `color-scheme` follows the user's light or dark setting with the browser's own colours.
    style.textContent = 'body{margin:0;height:100vh;display:grid;place-items:center;font:16px system-ui,sans-serif;color-scheme:light dark}'
    const message = doc.createElement('p')
    message.setAttribute('role', 'status')
    message.textContent = text
    doc.head?.append(style)
    doc.body.replaceChildren(message)
  } catch {
    // A reused popup may already show another origin's page; the placeholder is only cosmetic.
  }
}
