import { act, render, screen, within } from '@testing-library/react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { userEvent } from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectProvider } from '../../src/index.js'
import type { ConnectionsListProps, ConnectionsListProvider, PopupHandle } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import { axe } from '../axe.js'

/**
 * Google refuses to sign in inside in-app browsers (`403 disallowed_useragent`): in one, its rows
 * offer a way out to the system browser instead of a consent page that will fail.
 */
const calendar: ConnectionsListProvider = { providerId: 'google-calendar', name: 'Google Calendar' }
const slack: ConnectionsListProvider = { providerId: 'slack', name: 'Slack' }

const INSTAGRAM_ANDROID =
  'Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36 Instagram 243.1.0.14.111 Android (31/12; 420dpi; 1080x2209; Google/google; Pixel 6; oriole; oriole; en_US; 382290498)'
const FACEBOOK_IOS_16 =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/16.6;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]'
const FACEBOOK_IOS_17 = FACEBOOK_IOS_16.replace('OS 16_6', 'OS 17_1')

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

function setup(userAgent: string | null, props: Partial<ConnectionsListProps> = {}) {
  if (userAgent) vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(userAgent)
  const backend = createMockBackend()
  const openWindow = vi.fn(fakePopup)
  const user = userEvent.setup()
  const view = render(
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow, openChannel: () => null }}>
        <ConnectionsList providers={[calendar, slack]} {...props} />
      </ConnectProvider>
    </SWRConfig>,
  )
  return { user, backend, openWindow, ...view }
}

const row = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}

const message = "Google Calendar does not allow signing in from this app's browser. Open this page in your browser to connect."

afterEach(() => {
  vi.restoreAllMocks()
  // The own property one test set over jsdom's `Document.prototype.execCommand`.
  Reflect.deleteProperty(document, 'execCommand')
})

describe('ConnectionsList in an in-app browser', () => {
  it('given Instagram on Android, a Google row says why and offers Open in your browser (an intent for this page) and Copy link, not Connect', async () => {
    setup(INSTAGRAM_ANDROID)
    const google = row('google-calendar')
    expect(await within(google).findByText(message)).toBeInTheDocument()
    expect(google).toHaveAttribute('data-state', 'disconnected')
    expect(google).toHaveAttribute('data-in-app-browser', '')
    expect(within(google).queryByRole('button', { name: /^Connect/ })).toBeNull()
    const open = within(google).getByRole('link', { name: 'Open in your browser' })
    const page = new URL(window.location.href)
    expect(open).toHaveAttribute(
      'href',
      `intent://${page.host}${page.pathname}${page.search}#Intent;scheme=http;action=android.intent.action.VIEW;S.browser_fallback_url=${encodeURIComponent(page.href)};end`,
    )
    expect(within(google).getByRole('button', { name: 'Copy link' })).toBeInTheDocument()
    // Slack does not refuse web views: its row connects as anywhere else.
    expect(within(row('slack')).getByRole('button', { name: 'Connect Slack (opens in a new window)' })).toBeInTheDocument()
    expect(await axe()).toEqual([])
  })

  it('Copy link copies this page’s address and says so politely; the keyboard reaches both actions', async () => {
    const { user } = setup(INSTAGRAM_ANDROID)
    const google = row('google-calendar')
    await within(google).findByText(message)
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined)
    await user.tab()
    expect(within(google).getByRole('link', { name: 'Open in your browser' })).toHaveFocus()
    await user.tab()
    expect(within(google).getByRole('button', { name: 'Copy link' })).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(writeText).toHaveBeenCalledWith(window.location.href)
    const status = await within(google).findByText("Link copied. Paste it in your browser's address bar.")
    expect(status).toHaveAttribute('role', 'status')
    expect(status).toHaveAttribute('aria-live', 'polite')
  })

  it('without the Clipboard API, copies through a selected field; when that fails too, says how else', async () => {
    const { user } = setup(INSTAGRAM_ANDROID)
    const google = row('google-calendar')
    await within(google).findByText(message)
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'))
    const execCommand = vi.fn(() => true)
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true })
    await user.click(within(google).getByRole('button', { name: 'Copy link' }))
    expect(execCommand).toHaveBeenCalledWith('copy')
    expect(await within(google).findByText("Link copied. Paste it in your browser's address bar.")).toBeInTheDocument()
    execCommand.mockReturnValue(false)
    await user.click(within(google).getByRole('button', { name: 'Copy link' }))
    expect(await within(google).findByText("Could not copy the link. Use the app's menu to open this page in your browser.")).toBeInTheDocument()
    // The helper field is gone.
    expect(document.querySelector('textarea')).toBeNull()
  })

  it('on iOS 17 the link opens Safari (x-safari-http); before 17 there is only Copy link', async () => {
    setup(FACEBOOK_IOS_17)
    const open = await within(row('google-calendar')).findByRole('link', { name: 'Open in your browser' })
    expect(open.getAttribute('href')).toBe(`x-safari-${window.location.href}`)
  })

  it('on iOS 16, only Copy link', async () => {
    setup(FACEBOOK_IOS_16)
    const google = row('google-calendar')
    expect(await within(google).findByRole('button', { name: 'Copy link' })).toBeInTheDocument()
    expect(within(google).queryByRole('link')).toBeNull()
  })

  it('refusesInAppBrowser changes which providers refuse: a pattern on id and name, or a function', async () => {
    const first = setup(INSTAGRAM_ANDROID, { refusesInAppBrowser: /^slack$/i })
    expect(await within(row('slack')).findByRole('button', { name: 'Copy link' })).toBeInTheDocument()
    expect(within(row('google-calendar')).getByRole('button', { name: 'Connect Google Calendar (opens in a new window)' })).toBeInTheDocument()
    first.unmount()
    setup(INSTAGRAM_ANDROID, { refusesInAppBrowser: () => false })
    expect(await within(row('google-calendar')).findByRole('button', { name: 'Connect Google Calendar (opens in a new window)' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Copy link' })).toBeNull()
  })

  it('in a real browser, a Google row connects as any other', async () => {
    const { user, openWindow } = setup(null)
    const connect = await within(row('google-calendar')).findByRole('button', { name: 'Connect Google Calendar (opens in a new window)' })
    await user.click(connect)
    expect(openWindow).toHaveBeenCalledTimes(1)
    expect(screen.queryByRole('button', { name: 'Copy link' })).toBeNull()
  })

  it('reads the user agent and the page from the ConnectProvider’s environment when it has them', async () => {
    render(
      <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
        <ConnectProvider
          backend={createMockBackend()}
          environment={{ openChannel: () => null, userAgent: () => INSTAGRAM_ANDROID, locationHref: () => 'https://app.example.com/settings' }}
        >
          <ConnectionsList providers={[calendar]} />
        </ConnectProvider>
      </SWRConfig>,
    )
    const open = await within(row('google-calendar')).findByRole('link', { name: 'Open in your browser' })
    expect(open.getAttribute('href')).toBe(
      `intent://app.example.com/settings#Intent;scheme=https;action=android.intent.action.VIEW;S.browser_fallback_url=${encodeURIComponent('https://app.example.com/settings')};end`,
    )
  })

  it('the server renders Connect (it has no user agent); hydration keeps that markup, then shows the way out', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(INSTAGRAM_ANDROID)
    const app = (
      <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
        <ConnectProvider backend={createMockBackend({ connections: [] })} environment={{ openChannel: () => null }}>
          <ConnectionsList providers={[calendar]} />
        </ConnectProvider>
      </SWRConfig>
    )
    const container = document.createElement('div')
    container.innerHTML = renderToString(app)
    document.body.append(container)
    expect(container.querySelector('[data-in-app-browser]')).toBeNull()
    const recoverable = vi.fn()
    const root = await act(async () => hydrateRoot(container, app, { onRecoverableError: recoverable }))
    expect(await within(container).findByRole('button', { name: 'Copy link' })).toBeInTheDocument()
    expect(recoverable).not.toHaveBeenCalled()
    act(() => root.unmount())
    container.remove()
  })

  it('labels translate the notice', async () => {
    setup(INSTAGRAM_ANDROID, {
      labels: { inAppBrowserRefused: ({ providerName }) => `${providerName} refuse ce navigateur.`, openInBrowser: 'Ouvrir dans le navigateur', copyLink: 'Copier le lien' },
    })
    const google = row('google-calendar')
    expect(await within(google).findByText('Google Calendar refuse ce navigateur.')).toBeInTheDocument()
    expect(within(google).getByRole('link', { name: 'Ouvrir dans le navigateur' })).toBeInTheDocument()
    expect(within(google).getByRole('button', { name: 'Copier le lien' })).toBeInTheDocument()
  })
})
