import type { Locale } from './locale.js'

/**
 * The locale for a reader's languages (most wanted first, e.g. `navigator.languages` or a parsed
 * `Accept-Language`): for each language in turn, a locale with the same tag ('pt-BR'), else one
 * with the same language ('pt-PT' → 'pt-BR'); else the first locale.
 */
export function matchLocale<T extends Pick<Locale, 'code'>>(locales: readonly T[], languages: readonly string[]): T | undefined {
  const base = (tag: string) => tag.toLowerCase().split('-')[0]
  for (const language of languages) {
    const tag = language.toLowerCase()
    const found = locales.find(locale => locale.code.toLowerCase() === tag) ?? locales.find(locale => base(locale.code) === base(tag))
    if (found) return found
  }
  return locales[0]
}

/** The languages of an `Accept-Language` header, most wanted first (q-values honoured, `q=0` and `*` dropped). */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return []
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map(param => param.trim()).find(param => param.startsWith('q='))
      const weight = q === undefined ? 1 : Number(q.slice(2))
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index }
    })
    .filter(entry => entry.tag !== '' && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(entry => entry.tag)
}
