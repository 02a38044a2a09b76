/**
 * `react-provider-connect/locales`: one `Locale` per language, plain data with no React and no
 * `'use client'`, each in a module of its own so an app ships only the ones it imports. Pass one
 * (or several, to follow the browser) to `<ConnectProvider locale>`; the server's connect-link
 * pages take the same objects.
 */
export { en } from './en.js'
export { de } from './de.js'
export { fr } from './fr.js'
export { es } from './es.js'
export { ja } from './ja.js'
export { ptBR } from './pt-BR.js'
export { zhCN } from './zh-CN.js'
export { ar } from './ar.js'
export { matchLocale, parseAcceptLanguage } from './match.js'
export type { ConnectLinkPageLabels, LinkPageLabel, LinkPageLabelContext, Locale, PopupLabels } from './locale.js'
