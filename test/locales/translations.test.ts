import { describe, expect, it } from 'vitest'
import { ConnectError, type ConnectErrorCode } from '../../src/core/errors.js'
import type { Connection } from '../../src/core/types.js'
import { ar, de, en, es, fr, ja, ptBR, zhCN } from '../../src/locales/index.js'
import type { Locale } from '../../src/locales/index.js'

const translations: Locale[] = [ar, ja, de, fr, es, ptBR, zhCN]

const PROVIDER = 'Acme'
const APP = 'Zeta'
const ACCOUNT = 'Acme-7'
const codes = Object.keys(en.errors) as ConnectErrorCode[]
const errors = [null, ...codes.map(code => new ConnectError(code, `English detail for ${code}`))]
const counts = [0, 1, 2, 3, 11, 100]
const connection: Connection = { id: 'conn_1', providerId: 'acme', label: ACCOUNT }

// Empty by design: no connection has no name, and "Since {date}" says nothing without a date.
const emptyWhen: Record<string, (context: { connection: Connection | null; date: string | null }) => boolean> = {
  'list.connectionName': ({ connection }) => connection === null,
  'list.connectionSince': ({ date }) => date === null,
}
// The connection's own name (user data, the same in every language), not words of the library.
const sameAsEnglish = new Set(['list.connectionName'])
// Words of the English strings that no other language spells the same way (so not "Link", "Tab" or
// "Integration", which German uses too), as whole words (so "connecté" is not "connect").
const ENGLISH = /(?<![\p{L}\p{N}])(the|your|connect|connected|connecting|disconnect|disconnected|reconnect|account|accounts|again|try|window|cancel|cancelled|search|found|loading|could|not|with|open|new|save|saving|rename|sign|since|waiting|integrations|available|categories|all|enter|characters|continue|expired|closed|blocked|went|wrong)(?![\p{L}\p{N}])/iu

type Text<C> = string | ((context: C) => string)
const resolve = <C>(label: Text<C>, context: C): string => (typeof label === 'function' ? label(context) : label)

/** Every string a locale produces, keyed by where it comes from, for each sample context. */
function* strings(locale: Locale): Generator<{ key: string; text: string; english: string; context: { connection: Connection | null; date: string | null; error: ConnectError | null } }> {
  const date = new Intl.DateTimeFormat(locale.code, { dateStyle: 'medium' }).format(new Date(Date.UTC(2025, 2, 4, 12)))
  for (const error of errors) {
    const context = { providerName: PROVIDER, error }
    for (const key of Object.keys(locale.button) as (keyof Locale['button'])[]) {
      yield { key: `button.${key}`, text: resolve(locale.button[key], context), english: resolve(en.button[key], context), context: { connection: null, date: null, error } }
    }
    for (const item of [null, connection]) {
      for (const when of [null, date]) {
        for (const count of counts) {
          const listContext = { providerName: PROVIDER, error, connection: item, connectionName: item ? ACCOUNT : null, date: when, count }
          for (const key of Object.keys(locale.list) as (keyof Locale['list'])[]) {
            yield { key: `list.${key}`, text: resolve(locale.list[key], listContext), english: resolve(en.list[key], listContext), context: { connection: item, date: when, error } }
          }
        }
      }
    }
  }
  for (const appName of [null, APP]) {
    for (const key of Object.keys(locale.link) as (keyof Locale['link'])[]) {
      const context = { providerName: PROVIDER, appName }
      yield { key: `link.${key}`, text: resolve(locale.link[key], context), english: resolve(en.link[key], context), context: { connection: null, date: null, error: null } }
    }
  }
  yield { key: 'popup.connecting', text: locale.popup.connecting({ providerName: PROVIDER }), english: en.popup.connecting({ providerName: PROVIDER }), context: { connection: null, date: null, error: null } }
  for (const code of codes) {
    yield { key: `errors.${code}`, text: locale.errors[code], english: en.errors[code], context: { connection: null, date: null, error: null } }
  }
}

const words = (text: string) => text.replaceAll(PROVIDER, '').replaceAll(APP, '').replaceAll(ACCOUNT, '')

describe.each(translations.map(locale => [locale.code, locale] as const))('the %s translation', (code, locale) => {
  it('has the same keys as English in every group', () => {
    expect(Object.keys(locale.button).sort()).toEqual(Object.keys(en.button).sort())
    expect(Object.keys(locale.list).sort()).toEqual(Object.keys(en.list).sort())
    expect(Object.keys(locale.link).sort()).toEqual(Object.keys(en.link).sort())
    expect(Object.keys(locale.errors).sort()).toEqual(codes.slice().sort())
  })

  it('says something for every label in every sample context, and never the English text', () => {
    const problems = new Set<string>()
    for (const { key, text, english, context } of strings(locale)) {
      if (emptyWhen[key]?.(context)) {
        if (text !== '') problems.add(`${key}: expected empty, got "${text}"`)
        continue
      }
      if (text.trim() === '') problems.add(`${key}: empty`)
      if (text === english && !sameAsEnglish.has(key)) problems.add(`${key}: same as English "${text}"`)
    }
    expect([...problems]).toEqual([])
  })

  it('leaves no English word in any string, and no English error detail', () => {
    const problems = new Set<string>()
    for (const { key, text } of strings(locale)) {
      const rest = words(text)
      if (ENGLISH.test(rest)) problems.add(`${key}: "${text}"`)
      if (rest.includes('English detail')) problems.add(`${key}: shows error.message`)
      if (/\(s\)/.test(rest)) problems.add(`${key}: "(s)" instead of a plural`)
      // Scripts without Latin letters keep none besides the names from the context.
      if (['ar', 'ja', 'zh-CN'].includes(code) && /[A-Za-z]/.test(rest)) problems.add(`${key}: Latin letters in "${text}"`)
    }
    expect([...problems]).toEqual([])
  })

  it('reads each error code in its own words', () => {
    for (const error of errors.slice(1)) {
      const text = resolve(locale.list.errorConnect, { providerName: PROVIDER, error, connection: null, connectionName: null, date: null, count: 0 })
      expect(text).toContain(locale.errors[error!.code])
    }
  })

  it('is marked with its code and direction', () => {
    expect(locale.dir).toBe(code === 'ar' ? 'rtl' : 'ltr')
    expect(() => new Intl.PluralRules(locale.code)).not.toThrow()
  })
})

describe('plurals', () => {
  const many = (locale: Locale, count: number) =>
    resolve(locale.list.statusConnectedMany, { providerName: PROVIDER, error: null, connection: null, connectionName: null, date: null, count })

  it('gives Arabic its six forms (zero, one, two, few, many, other)', () => {
    const forms = [0, 1, 2, 3, 11, 100].map(count => many(ar, count).replace(/[\d٠-٩,٬]+/g, '#'))
    expect(new Set(forms).size).toBe(6)
    expect(many(ar, 2)).toBe('حسابان مرتبطان')
    expect(many(ar, 11)).toBe(`${new Intl.NumberFormat('ar').format(11)} حسابًا مرتبطًا`)
  })

  it('formats counts with the language’s numbers', () => {
    expect(many(ja, 1200)).toBe(`${new Intl.NumberFormat('ja').format(1200)}件のアカウントが接続済み`)
  })
})
