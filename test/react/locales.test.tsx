/**
 * Every non-English locale, end to end through the components: the button and the list are driven
 * through each of their states by the mock backend, and nothing the user sees or hears (text,
 * accessible names, placeholders, live regions, the popup placeholder) is left in English. Plus:
 * the browser's languages pick among several locales, `labels` still win, error text follows the
 * error's code, and the roots carry `lang` and `dir`.
 */
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { SWRConfig } from 'swr'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectProvider, ProviderConnectButton } from '../../src/index.js'
import type { PopupHandle, ProviderInfo } from '../../src/index.js'
import * as shipped from '../../src/locales/index.js'
import type { Locale } from '../../src/locales/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'

const all = Object.values(shipped).filter((value): value is Locale => typeof value === 'object' && value !== null && 'dir' in value)
const { en, de, ja, ar } = shipped
const translated = all.filter(locale => locale.code !== 'en')

// Words of the English strings no other shipped language spells the same way; the app's data
// (provider "Acme", account "Acme-7", category "Qux") is chosen to be none of them.
// Word edges by Unicode letters, so "déconnecté" is not heard as "connect".
const ENGLISH =
  /(?<![\p{L}\p{N}])(the|your|connect|connected|connecting|disconnect|disconnected|reconnect|account|accounts|again|try|window|cancel|cancelled|search|found|loading|could|not|with|open|new|save|saving|rename|sign|since|waiting|integrations|available|categories|all|enter|characters|continue|expired|closed|blocked|went|wrong)(?![\p{L}\p{N}])/iu

/** Everything a user reads or hears in the document: text, names, placeholders, the popup's words. */
function heard(extra: string[] = []): string {
  const attributes = [...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap(element =>
    ['aria-label', 'placeholder', 'title'].map(name => element.getAttribute(name) ?? ''),
  )
  return [document.body.textContent ?? '', ...attributes, ...extra].join(' | ')
}

function expectNoEnglish(where: string, extra: string[] = []): void {
  const text = heard(extra)
  const match = ENGLISH.exec(text)
  expect(match ? `${where}: "${match[0]}" in ${text}` : null).toBeNull()
}

/** A popup with a document, so the placeholder's words can be read. */
function popupWithDocument(): PopupHandle & { document: Document } {
  return { closed: false, focus() {}, close() {}, location: { replace() {} }, document: document.implementation.createHTMLDocument('') }
}

const tick = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms))

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true })
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

function wrap(backend: MockBackend, locale: Locale | readonly Locale[], children: ReactNode, openWindow: () => PopupHandle | null = popupWithDocument) {
  return (
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} locale={locale} environment={{ openWindow, openChannel: () => null, random: () => 0.5 }}>
        {children}
      </ConnectProvider>
    </SWRConfig>
  )
}

describe.each(translated.map(locale => [locale.code, locale] as const))('ProviderConnectButton in %s', (_code, locale) => {
  it('says nothing in English in any state, popup placeholder included', async () => {
    const backend = createMockBackend({ latency: 50 })
    const popups: ReturnType<typeof popupWithDocument>[] = []
    const open = () => {
      const popup = popupWithDocument()
      popups.push(popup)
      return popup
    }
    render(wrap(backend, locale, <ProviderConnectButton providerId="acme" providerName="Acme" />, open))
    const button = () => document.querySelector<HTMLButtonElement>('.rpc-button')!
    expect(button()).toHaveAttribute('lang', locale.code)
    expect(button()).toHaveAttribute('dir', locale.dir)
    expectNoEnglish('idle')

    fireEvent.click(button())
    expect(button()).toHaveAttribute('data-status', 'creating')
    const placeholder = popups[0]!.document
    expect(placeholder.title).toBe(locale.popup.connecting({ providerName: 'Acme' }))
    expectNoEnglish('creating', [placeholder.title, placeholder.body.textContent ?? ''])
    await tick(60)
    expect(button()).toHaveAttribute('data-status', 'pending')
    expectNoEnglish('pending')

    fireEvent.click(document.querySelector('.rpc-button-cancel')!)
    expect(button()).toHaveAttribute('data-status', 'cancelled')
    expectNoEnglish('cancelled')

    for (const [end, status] of [
      [() => backend.fail(undefined, 'access_denied: the user said no'), 'failed'],
      [() => backend.expire(), 'expired'],
      [() => backend.archive(), 'archived'],
      [() => backend.complete(), 'completed'],
    ] as const) {
      fireEvent.click(button())
      await tick(60)
      end()
      await tick(2_000)
      expect(button()).toHaveAttribute('data-status', status)
      expectNoEnglish(status)
    }
    expect(document.querySelector('.rpc-button-error')).toBeNull()
  })

  it('shows the locale’s text for the error’s code, never the English message', async () => {
    const backend = createMockBackend()
    render(wrap(backend, locale, <ProviderConnectButton providerId="acme" providerName="Acme" />))
    backend.failNext('createSetupSession', 'network')
    fireEvent.click(document.querySelector('.rpc-button')!)
    await tick(100)
    expect(document.querySelector('.rpc-button')).toHaveAttribute('data-status', 'error')
    expect(document.querySelector('.rpc-button-error')).toHaveTextContent(locale.errors.network)
    expect(document.querySelector('.rpc-button-error')).toHaveAttribute('lang', locale.code)
    expectNoEnglish('error')

    fireEvent.click(document.querySelector('.rpc-button')!)
    await tick(100)
    backend.fail(undefined, 'access_denied')
    await tick(2_000)
    expect(document.querySelector('.rpc-button-error')).toHaveTextContent(locale.errors.session_failed)
  })

  it('says a blocked popup and its way out in the locale', async () => {
    const backend = createMockBackend()
    render(wrap(backend, locale, <ProviderConnectButton providerId="acme" providerName="Acme" />, () => null))
    fireEvent.click(document.querySelector('.rpc-button')!)
    await tick(100)
    expect(document.querySelector('.rpc-button')).toHaveAttribute('data-popup-blocked')
    expectNoEnglish('blocked')
  })
})

const catalogue: Array<Partial<ProviderInfo> & { providerId: string }> = Array.from({ length: 10 }, (_, index) => ({
  providerId: index === 0 ? 'acme' : `acme-${index}`,
  name: index === 0 ? 'Acme' : `Acme ${index}`,
  description: `Zeta ${index}`,
  categories: [index % 2 ? 'Qux' : 'Quux'],
  logoUrl: null,
  authMethods: [{ id: 'oauth', name: 'OAuth', type: 'oauth' }],
  requiresConnection: index !== 9,
}))

describe.each(translated.map(locale => [locale.code, locale] as const))('ConnectionsList in %s', (_code, locale) => {
  it('says nothing in English while loading, connected, revoked, searching, renaming, confirming, failing', async () => {
    const created = new Date(Date.UTC(2025, 2, 4, 12)).toISOString()
    const backend = createMockBackend({
      latency: 20,
      providers: catalogue,
      connections: [
        { id: 'pac_1', providerId: 'acme', label: 'Acme-7', createdAt: created },
        { id: 'pac_2', providerId: 'acme-1', label: 'Acme-8', createdAt: created },
        { id: 'pac_3', providerId: 'acme-1', label: 'Acme-9', createdAt: created },
        { id: 'pac_4', providerId: 'acme-2', label: 'Acme-10', createdAt: created, status: 'revoked', revokedAt: created },
      ],
    })
    render(wrap(backend, locale, <ConnectionsList allowMultipleAccounts />))
    const root = document.querySelector('.rpc-connections')!
    expect(root).toHaveAttribute('lang', locale.code)
    expect(root).toHaveAttribute('dir', locale.dir)
    expectNoEnglish('loading')
    await tick(100)
    expect(root).toHaveAttribute('data-state', 'ready')
    expectNoEnglish('ready')

    const search = screen.getByRole('searchbox')
    fireEvent.change(search, { target: { value: 'Quux' } })
    expectNoEnglish('search results')
    fireEvent.change(search, { target: { value: 'zzzz' } })
    expectNoEnglish('no results')
    fireEvent.change(search, { target: { value: '' } })
    fireEvent.click(within(document.querySelector('[role="group"]')!).getAllByRole('button')[1]!)
    expectNoEnglish('a category')
    fireEvent.click(within(document.querySelector('[role="group"]')!).getAllByRole('button')[0]!)

    fireEvent.click(document.querySelector('[data-action="rename"]')!)
    const field = document.querySelector<HTMLInputElement>('.rpc-connections input:not([type="search"])')!
    fireEvent.change(field, { target: { value: '' } })
    fireEvent.click(document.querySelector('[data-action="rename-save"]')!)
    expectNoEnglish('rename, empty')
    fireEvent.change(field, { target: { value: 'x'.repeat(101) } })
    fireEvent.click(document.querySelector('[data-action="rename-save"]')!)
    expectNoEnglish('rename, too long')
    fireEvent.change(field, { target: { value: 'Acme-11' } })
    fireEvent.click(document.querySelector('[data-action="rename-save"]')!)
    expectNoEnglish('rename, saving')
    await tick(100)
    expectNoEnglish('renamed')

    fireEvent.click(document.querySelector('[data-action="disconnect"]')!)
    const dialog = await screen.findByRole('dialog')
    // Portalled into the list's root, it reads in the root's language and direction.
    expect(dialog.closest('[lang]')).toHaveAttribute('lang', locale.code)
    expect(dialog.closest('[dir]')).toHaveAttribute('dir', locale.dir)
    expectNoEnglish('dialog')
    backend.failNext('removeConnection', 'network')
    fireEvent.click(within(dialog).getByRole('button', { name: (_, element) => element.getAttribute('data-action') === 'confirm-disconnect' }))
    await tick(100)
    expectNoEnglish('disconnect refused')

    const connectRow = document.querySelector<HTMLElement>('li[data-provider="acme-3"]')!
    fireEvent.click(within(connectRow).getAllByRole('button')[0]!)
    await tick(100)
    expectNoEnglish('row pending')
    backend.fail(undefined, 'access_denied')
    await tick(2_000)
    expect(connectRow).toHaveAttribute('data-state', 'error')
    expectNoEnglish('row failed')
  })

  it('says its list and catalogue errors, and an empty list, in the locale', async () => {
    const backend = createMockBackend({ providers: catalogue })
    backend.failNext('listConnections', 'network')
    backend.failNext('listProviders', { status: 500 })
    const { unmount } = render(wrap(backend, locale, <ConnectionsList />))
    await tick(100)
    expect(document.querySelectorAll('[role="alert"]').length).toBeGreaterThan(0)
    expectNoEnglish('errors')
    unmount()
    render(wrap(createMockBackend(), locale, <ConnectionsList providers={[]} />))
    await tick(100)
    expectNoEnglish('empty')
  })
})

describe('accessible names hold the visible text (WCAG 2.5.3) in every locale', () => {
  const pairs = [
    ['connect', 'connectLabel'],
    ['reconnect', 'reconnectLabel'],
    ['retry', 'retryLabel'],
    ['cancel', 'cancelLabel'],
    ['disconnect', 'disconnectLabel'],
    ['rename', 'renameLabel'],
    ['addAccount', 'addAccountLabel'],
  ] as const
  it.each(all.map(locale => [locale.code, locale] as const))('%s', (_code, locale) => {
    const missing: string[] = []
    for (const connectionName of [null, 'Acme-7']) {
      const context = { providerName: 'Acme', error: null, connection: null, connectionName, date: null, count: 1 }
      const say = (label: Locale['list'][keyof Locale['list']]) => (typeof label === 'function' ? label(context) : label)
      for (const [visible, name] of pairs) {
        if (!say(locale.list[name]).toLowerCase().includes(say(locale.list[visible]).toLowerCase())) missing.push(`${name}: "${say(locale.list[name])}" lacks "${say(locale.list[visible])}"`)
      }
    }
    expect(missing).toEqual([])
  })
})

describe('the English detector', () => {
  it('hears English in the English list and button (so its silence above means something)', async () => {
    render(wrap(createMockBackend({ providers: catalogue }), en, <><ConnectionsList /><ProviderConnectButton providerId="acme" providerName="Acme" /></>))
    await tick(100)
    expect(heard()).toMatch(ENGLISH)
    for (const word of ['Connect', 'Search integrations', 'All']) expect(heard()).toContain(word)
  })
})

describe('choosing the locale', () => {
  const languages = (list: string[]) => vi.spyOn(navigator, 'languages', 'get').mockReturnValue(list)

  it('one locale is used as is, whatever the browser says', () => {
    languages(['ja-JP'])
    render(wrap(createMockBackend(), de, <ProviderConnectButton providerId="acme" providerName="Acme" />))
    expect(document.querySelector('.rpc-button')).toHaveAttribute('lang', 'de')
  })

  it('several: the first the browser asks for, by full tag, then by language, else the first given', () => {
    const pick = (browser: string[], locales: readonly Locale[]) => {
      languages(browser)
      const { unmount } = render(wrap(createMockBackend(), locales, <ProviderConnectButton providerId="acme" providerName="Acme" />))
      const code = document.querySelector('.rpc-button')?.getAttribute('lang')
      unmount()
      return code
    }
    expect(pick(['ja-JP', 'de'], [de, ja, ar])).toBe('ja')
    expect(pick(['fi', 'ar-EG'], [de, ja, ar])).toBe('ar')
    expect(pick(['fi', 'ko'], [de, ja, ar])).toBe('de')
    expect(pick(['en-GB', 'de'], [ar, en, de])).toBe('en')
  })

  it('labels still win over the locale, string by string', () => {
    render(wrap(createMockBackend(), de, <ProviderConnectButton providerId="acme" providerName="Acme" labels={{ connect: 'Mit Acme verbinden!' }} />))
    expect(document.querySelector('.rpc-button')).toHaveTextContent('Mit Acme verbinden!')
    expect(screen.getByRole('button')).toHaveAccessibleName(`Mit Acme verbinden! ${de.button.opensInNewWindow as string}`)
  })

  it('without a locale: English, the error’s own message, and no lang or dir', async () => {
    const backend = createMockBackend()
    render(
      <ConnectProvider backend={backend} environment={{ openWindow: popupWithDocument, openChannel: () => null }}>
        <ProviderConnectButton providerId="acme" providerName="Acme" />
      </ConnectProvider>,
    )
    const button = document.querySelector('.rpc-button')!
    expect(button).not.toHaveAttribute('lang')
    expect(button).not.toHaveAttribute('dir')
    backend.failNext('createSetupSession', { status: 400, message: 'Provider acme is not enabled.' })
    fireEvent.click(button)
    await tick(100)
    expect(document.querySelector('.rpc-button-error')?.textContent).toMatch(/Provider acme is not enabled/)
  })

  it('dates in the list are formatted in the locale’s language', async () => {
    const createdAt = new Date(Date.UTC(2025, 2, 4, 12)).toISOString()
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'acme', createdAt }] })
    render(wrap(backend, ja, <ConnectionsList providers={[{ providerId: 'acme', name: 'Acme' }]} />))
    await tick(100)
    expect(document.body.textContent).toContain(new Intl.DateTimeFormat('ja', { dateStyle: 'medium' }).format(new Date(createdAt)))
  })
})
