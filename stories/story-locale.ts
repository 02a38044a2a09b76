/** The toolbar's language for the stories: one `Locale` per shipped language, none for the built-in English. */
import { ar, de, en, es, fr, ja, ptBR, zhCN } from '../src/locales/index.js'
import type { Locale } from '../src/locales/index.js'

export const STORY_LOCALES: Record<string, Locale> = { en, de, fr, es, ja, 'pt-BR': ptBR, 'zh-CN': zhCN, ar }

/** The locale the toolbar chose (`globals.locale`), or undefined for "Default" (no locale given). */
export function storyLocale(globals: Record<string, unknown>): Locale | undefined {
  const code = globals['locale']
  return typeof code === 'string' ? STORY_LOCALES[code] : undefined
}
