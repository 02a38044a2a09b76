/**
 * The few HTML pages a connect link shows, rendered on the server with no client script (as Auth.js
 * renders its sign-in and error pages). Each is one short message and at most one button; they
 * carry no token, key or consent URL, and look like the library's default style, light and dark.
 */

import { ar } from '../../locales/ar.js'
import { de } from '../../locales/de.js'
import { en } from '../../locales/en.js'
import { es } from '../../locales/es.js'
import { fr } from '../../locales/fr.js'
import { ja } from '../../locales/ja.js'
import type { Locale } from '../../locales/locale.js'
import { matchLocale, parseAcceptLanguage } from '../../locales/match.js'
import { ptBR } from '../../locales/pt-BR.js'
import { zhCN } from '../../locales/zh-CN.js'
import { defaultLinkPageLabels, resolveLinkPageLabel } from './link-page-labels.js'
import type { ConnectLinkPageLabels } from './link-page-labels.js'

/** What a link's page says. */
export type LinkPageKind = 'start' | 'connected' | 'failed' | 'expired' | 'used' | 'not_found' | 'busy' | 'error'

export interface LinkPageInput {
  kind: LinkPageKind
  /** The provider's display name (the catalogue's, else its id). */
  providerName: string
  /** The app's name (the `appName` option), when given. */
  appName: string | null
  /** Where the page's one form posts (`start`: the link itself; `failed`: the link again). */
  action?: string
}

/** What a page needs of a `Locale`. */
export type LinkPageLocale = Pick<Locale, 'code' | 'dir' | 'link'>

const DEFAULT_LOCALE: LinkPageLocale = { code: 'en', dir: 'ltr', link: defaultLinkPageLabels }

/** English first: it answers when no language of the header is shipped. */
const SHIPPED: readonly LinkPageLocale[] = [en, de, fr, es, ja, ptBR, zhCN, ar]

/** The shipped locale an `Accept-Language` header asks for (q-values honoured), else English. */
export function linkPageLocale(acceptLanguage: string | null | undefined): LinkPageLocale {
  return matchLocale(SHIPPED, parseAcceptLanguage(acceptLanguage)) ?? DEFAULT_LOCALE
}

// The library's look (src/styles.css), light and dark: the same variables and values.
const STYLE = `:root{--bg:#f5f6f8;--surface:#fff;--text:#16181d;--muted:#5b6270;--border:#dfe2e7;--accent:#2f5bea;--accent-hover:#244bd0;--accent-text:#fff;--success:#147a3d;--danger:#b42318;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121418;--surface:#1a1d23;--text:#eceef2;--muted:#a3aab6;--border:#2f343d;--accent:#7c9bff;--accent-hover:#98b1ff;--accent-text:#0d1220;--success:#5dd39a;--danger:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1rem;background:var(--bg);color:var(--text);font:0.9375rem/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{width:100%;max-width:26rem;background:var(--surface);border:1px solid var(--border);border-radius:8px;padding:1.5rem;overflow-wrap:anywhere}
h1{font-size:1.25rem;margin:0 0 0.5rem}
p{margin:0 0 1rem;color:var(--muted)}
p:last-child{margin-bottom:0}
.ok h1{color:var(--success)}
.bad h1{color:var(--danger)}
form{margin:0}
button{font:inherit;font-weight:600;width:100%;min-height:2.75rem;padding:0.5rem 1rem;border:0;border-radius:8px;background:var(--accent);color:var(--accent-text);cursor:pointer}
button:hover{background:var(--accent-hover)}
button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}`

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`)
}

interface Content {
  tone: 'plain' | 'ok' | 'bad'
  title: string
  lines: string[]
  button?: string
}

const SHAPE: Record<LinkPageKind, [tone: Content['tone'], title: keyof ConnectLinkPageLabels, lines: (keyof ConnectLinkPageLabels)[], button?: keyof ConnectLinkPageLabels]> = {
  start: ['plain', 'startTitle', ['startText', 'startHint'], 'startButton'],
  connected: ['ok', 'connectedTitle', ['connectedText']],
  failed: ['bad', 'failedTitle', ['failedText'], 'failedButton'],
  expired: ['bad', 'expiredTitle', ['expiredText']],
  used: ['plain', 'usedTitle', ['usedText']],
  not_found: ['bad', 'notFoundTitle', ['notFoundText']],
  busy: ['bad', 'busyTitle', ['busyText']],
  error: ['bad', 'errorTitle', ['errorText'], 'errorButton'],
}

function content({ kind, providerName, appName }: LinkPageInput, labels: ConnectLinkPageLabels): Content {
  const [tone, title, lines, button] = SHAPE[kind]
  const text = (key: keyof ConnectLinkPageLabels) => resolveLinkPageLabel(labels[key], { providerName, appName })
  return { tone, title: text(title), lines: lines.map(text), ...(button ? { button: text(button) } : {}) }
}

/** The page as a complete HTML document, in `locale` (English by default). */
export function renderLinkPage(input: LinkPageInput, locale: LinkPageLocale = DEFAULT_LOCALE): string {
  const page = content(input, locale.link)
  const button = page.button && input.action !== undefined ? `<form method="post" action="${escapeHtml(input.action)}"><button type="submit">${escapeHtml(page.button)}</button></form>` : ''
  return `<!doctype html>
<html lang="${escapeHtml(locale.code)}" dir="${locale.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="${page.tone}">
<h1>${escapeHtml(page.title)}</h1>
${page.lines.map(line => `<p>${escapeHtml(line)}</p>`).join('\n')}
${button}
</main>
</body>
</html>
`
}

/**
 * The headers every link page carries: nothing runs, nothing frames it, no referrer leaves it (the
 * URL is the token), nothing caches it. `formOrigins` are where its form may end up: the link
 * itself, then Metorial's consent page it redirects to.
 */
export function linkPageHeaders(formOrigins: readonly string[], locale: LinkPageLocale = DEFAULT_LOCALE): Record<string, string> {
  const formAction = ["'self'", ...formOrigins].join(' ')
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-language': locale.code,
    // The language follows the browser's Accept-Language.
    vary: 'Accept-Language',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  }
}

const STATUS: Record<LinkPageKind, number> = { start: 200, connected: 200, failed: 200, expired: 410, used: 410, not_found: 404, busy: 429, error: 502 }

/** A link page as a `Response`, with its status and headers. */
export function linkPageResponse(input: LinkPageInput, formOrigins: readonly string[], extraHeaders: Record<string, string> = {}, locale?: LinkPageLocale): Response {
  return new Response(renderLinkPage(input, locale), { status: STATUS[input.kind], headers: { ...linkPageHeaders(formOrigins, locale), ...extraHeaders } })
}
