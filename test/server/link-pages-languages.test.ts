// @vitest-environment node
// The connect-link pages speak the browser's language: Accept-Language (q-values honoured) picks
// among the shipped locales, English otherwise; <html> carries its lang and dir.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ar, de, en, es, fr, ja, ptBR, zhCN } from '../../src/locales/index.js'
import { matchLocale, parseAcceptLanguage } from '../../src/locales/match.js'
import { linkPageLocale, linkPageResponse, renderLinkPage, type LinkPageKind } from '../../src/server/pages/link-pages.js'
import { resolveLinkPageLabel } from '../../src/server/pages/link-page-labels.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer, PROVIDERS } from './helpers.js'

const KINDS: LinkPageKind[] = ['start', 'connected', 'failed', 'expired', 'used', 'not_found', 'busy', 'error']

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-01T09:00:00.000Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Accept-Language', () => {
  it('orders languages by q-value, then by their place, and drops q=0 and *', () => {
    expect(parseAcceptLanguage('en;q=0.5, de-CH, ja;q=0.9, *;q=0.1, fr;q=0')).toEqual(['de-CH', 'ja', 'en'])
    expect(parseAcceptLanguage('')).toEqual([])
    expect(parseAcceptLanguage(null)).toEqual([])
    expect(parseAcceptLanguage('garbage;q=abc, ar')).toEqual(['ar'])
  })

  it('picks the shipped locale by full tag, then by language, else English', () => {
    expect(linkPageLocale('de-CH,de;q=0.9,en;q=0.8').code).toBe('de')
    expect(linkPageLocale('en;q=0.4, ja;q=0.8').code).toBe('ja')
    expect(linkPageLocale('ar-EG').code).toBe('ar')
    expect(linkPageLocale('pt-PT, pt;q=0.9').code).toBe('pt-BR')
    expect(linkPageLocale('zh-CN').code).toBe('zh-CN')
    expect(linkPageLocale('fr-CA;q=0.7, es;q=0.8').code).toBe('es')
    expect(linkPageLocale('ko-KR, nl').code).toBe('en')
    expect(linkPageLocale(undefined).code).toBe('en')
    expect(matchLocale([en, de, ja], ['JA-jp'])).toBe(ja)
  })
})

describe('a link page in a language', () => {
  for (const locale of [de, fr, es, ja, ptBR, zhCN, ar]) {
    it(`in ${locale.code}: lang and dir on <html>, every line translated`, () => {
      for (const kind of KINDS) {
        const html = renderLinkPage({ kind, providerName: 'Slack', appName: 'Acme', action: 'token' }, locale)
        expect(html).toContain(`<html lang="${locale.code}" dir="${locale.dir}">`)
        const english = renderLinkPage({ kind, providerName: 'Slack', appName: 'Acme', action: 'token' })
        const lines = (page: string) => [...page.matchAll(/<(h1|p|button type="submit")>([^<]*)</g)].map(match => match[2])
        const translated = lines(html)
        expect(translated.length).toBe(lines(english).length)
        for (const [index, line] of translated.entries()) expect(line).not.toBe(lines(english)[index])
      }
      const start = renderLinkPage({ kind: 'start', providerName: 'Slack', appName: null, action: 'token' }, locale)
      expect(start).toContain(`<h1>${resolveLinkPageLabel(locale.link.startTitle, { providerName: 'Slack', appName: null })}</h1>`)
    })
  }

  it('says its language in Content-Language and varies on Accept-Language', () => {
    const response = linkPageResponse({ kind: 'connected', providerName: 'Slack', appName: null }, [], {}, ja)
    expect(response.headers.get('content-language')).toBe('ja')
    expect(response.headers.get('vary')).toBe('Accept-Language')
  })

  it('the server serves the page in the browser’s language', async () => {
    const sim = createMetorialSimulation({ apiKey: API_KEY, providers: PROVIDERS, publicBaseUrl: 'http://metorial.test' })
    const app = makeServer({ publicUrl: 'http://app.test/api/connect', appName: 'Acme' }, sim)
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const get = (acceptLanguage?: string) => app.server.handler(new Request(link.url, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} }))
    const arabic = await (await get('ar;q=0.9, en;q=0.5')).text()
    expect(arabic).toContain('<html lang="ar" dir="rtl">')
    expect(arabic).toContain(`<h1>${resolveLinkPageLabel(ar.link.startTitle, { providerName: 'Slack', appName: 'Acme' })}</h1>`)
    expect(await (await get()).text()).toContain('<html lang="en" dir="ltr">')
    expect(await (await get('fi')).text()).toContain('<h1>Connect Slack</h1>')
  })
})
