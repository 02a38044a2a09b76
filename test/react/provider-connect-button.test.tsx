import { act, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { StrictMode, createRef, useEffect } from 'react'
import type { ComponentProps, ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SWRConfig } from 'swr'
import { createConnectClient } from '../../src/core/index.js'
import { ConnectProvider, ProviderConnectButton, useConnections, useSetupSession } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { createFakeBrowser } from '../fake-environment.js'

let backend: MockBackend
let browser: ReturnType<typeof createFakeBrowser>

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true })
  backend = createMockBackend()
  browser = createFakeBrowser()
})
afterEach(() => {
  vi.useRealTimers()
})

const user = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
const tick = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms))

function renderButton(props: Partial<ComponentProps<typeof ProviderConnectButton>> = {}, wrap: (node: ReactNode) => ReactNode = node => node) {
  const onConnected = vi.fn()
  const onError = vi.fn()
  const view = render(
    wrap(
      <ConnectProvider backend={backend} environment={browser.environment}>
        <ProviderConnectButton providerId="slack" providerName="Slack" onConnected={onConnected} onError={onError} {...props} />
      </ConnectProvider>,
    ),
  )
  return { ...view, onConnected, onError }
}

const connectButton = () => screen.getByRole('button', { name: /slack/i })

describe('ProviderConnectButton', () => {
  it('is a real button whose name says it opens a new window', () => {
    renderButton()
    const button = screen.getByRole('button', { name: 'Connect Slack (opens in a new window)' })
    expect(button).toHaveAttribute('type', 'button')
    expect(button).toHaveAttribute('data-status', 'idle')
    expect(button).not.toHaveAttribute('aria-busy')
  })

  it('walks a user through connecting: busy while waiting, announced, then connected once', async () => {
    const { onConnected } = renderButton()
    await user().click(connectButton())
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
    await tick()
    expect(connectButton()).toHaveAttribute('data-status', 'pending')
    expect(connectButton()).toHaveAttribute('aria-busy', 'true')
    expect(connectButton()).toHaveAccessibleName('Waiting for Slack… (opens in a new window)')
    expect(screen.getByRole('status')).toHaveTextContent('Finish connecting in the Slack window.')

    const authConfigId = backend.complete()
    await tick(1000)
    expect(connectButton()).toHaveAttribute('data-status', 'completed')
    expect(connectButton()).toHaveTextContent('Slack connected')
    expect(screen.getByRole('status')).toHaveTextContent('Slack connected.')
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ status: 'completed' }))
  })

  it('can be operated with the keyboard alone', async () => {
    renderButton()
    const u = user()
    await u.tab()
    expect(connectButton()).toHaveFocus()
    await u.keyboard('{Enter}')
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
  })

  it('creates one session per click and fires onConnected once under StrictMode', async () => {
    const { onConnected } = renderButton({}, node => <StrictMode>{node}</StrictMode>)
    await user().click(connectButton())
    await tick()
    expect(backend.count('createSetupSession')).toBe(1)
    backend.complete()
    await tick(1000)
    await tick(5000)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(connectButton()).toHaveAttribute('data-status', 'completed')
  })

  it('focuses the open popup on a second click instead of creating another session', async () => {
    renderButton()
    const u = user()
    await u.click(connectButton())
    await tick()
    await u.click(connectButton())
    expect(backend.count('createSetupSession')).toBe(1)
    expect(browser.popup?.focus).toHaveBeenCalled()
  })

  it('offers Cancel while waiting, which stops everything', async () => {
    const { onError } = renderButton()
    const u = user()
    await u.click(connectButton())
    await tick()
    await u.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(connectButton()).toHaveAttribute('data-status', 'cancelled')
    expect(screen.getByRole('status')).toHaveTextContent('Slack connection cancelled.')
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull()
    expect(browser.popup?.close).toHaveBeenCalled()
    expect(onError).not.toHaveBeenCalled()
  })

  it('offers "Continue in a new tab" when the popup is blocked, and completes from there', async () => {
    browser.state.blockPopups = true
    const { onConnected } = renderButton()
    const u = user()
    await u.click(connectButton())
    await tick()
    expect(connectButton()).toHaveAttribute('data-popup-blocked')
    expect(screen.getByRole('status')).toHaveTextContent('Your browser blocked the Slack window.')
    const link = screen.getByRole('link', { name: 'Continue in a new tab' })
    expect(link).toHaveAttribute('href', backend.lastSession()?.url)
    expect(link).toHaveAttribute('target', '_blank')

    browser.state.blockPopups = false
    await u.click(link)
    expect(browser.popup?.url).toBe(backend.lastSession()?.url)
    expect(screen.queryByRole('link', { name: 'Continue in a new tab' })).toBeNull()
    backend.complete()
    await tick(1000)
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('tries the popup again when the button itself is clicked after a block (a fresh gesture)', async () => {
    browser.state.blockPopups = true
    renderButton()
    const u = user()
    await u.click(connectButton())
    await tick()
    expect(connectButton()).toHaveAccessibleName('Open Slack (opens in a new window)')
    expect(connectButton()).not.toHaveAttribute('aria-busy')
    browser.state.blockPopups = false
    await u.click(connectButton())
    expect(browser.popup?.url).toBe(backend.lastSession()?.url)
    expect(backend.count('createSetupSession')).toBe(1)
    expect(connectButton()).toHaveAttribute('aria-busy', 'true')
  })

  it('shows why an attempt failed, visibly, not only to screen readers', async () => {
    renderButton()
    await user().click(connectButton())
    await tick()
    backend.fail(undefined, 'The user denied access.')
    await tick(1000)
    expect(screen.getByText('The user denied access.', { ignore: '[role=status]' })).toBeVisible()
    expect(screen.getByText('The user denied access.', { ignore: '[role=status]' })).toHaveAttribute('data-error-code', 'session_failed')
  })

  it('never lets a consumer\'s untyped <button> submit its form under asChild', async () => {
    const onSubmit = vi.fn((event: Event) => event.preventDefault())
    render(
      <form onSubmit={event => onSubmit(event.nativeEvent)}>
        <ConnectProvider backend={backend} environment={browser.environment}>
          <ProviderConnectButton providerId="slack" asChild>
            <button className="ds-button">Add Slack</button>
          </ProviderConnectButton>
        </ConnectProvider>
      </form>,
    )
    const button = screen.getByRole('button', { name: 'Add Slack' })
    expect(button).toHaveAttribute('type', 'button')
    await user().click(button)
    expect(onSubmit).not.toHaveBeenCalled()
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['failed', (mock: MockBackend) => mock.fail(undefined, 'Access denied by the user.'), 'Slack was not connected: Access denied by the user.'],
    ['expired', (mock: MockBackend) => mock.expire(), 'The Slack connection expired. Try again.'],
    ['archived', (mock: MockBackend) => mock.archive(), 'The Slack connection was closed. Try again.'],
  ] as const)('shows %s with a way to try again', async (status, act_, message) => {
    const { onError } = renderButton()
    const u = user()
    await u.click(connectButton())
    await tick()
    act_(backend)
    await tick(1000)
    expect(connectButton()).toHaveAttribute('data-status', status)
    expect(connectButton()).toHaveTextContent('Try Slack again')
    expect(screen.getByRole('status')).toHaveTextContent(message)
    expect(onError).toHaveBeenCalledTimes(1)
    await u.click(connectButton())
    await tick()
    expect(backend.count('createSetupSession')).toBe(2)
    expect(connectButton()).toHaveAttribute('data-status', 'pending')
  })

  it('shows an error from the backend with its message', async () => {
    backend.failNext('createSetupSession', { status: 400, message: 'Provider slack is not enabled.' })
    renderButton()
    await user().click(connectButton())
    await tick()
    expect(connectButton()).toHaveAttribute('data-status', 'error')
    expect(screen.getByRole('status')).toHaveTextContent('Could not connect Slack: Provider slack is not enabled.')
  })

  it('merges the consumer\'s className, ref and onClick instead of replacing them', async () => {
    const ref = createRef<HTMLButtonElement>()
    const onClick = vi.fn()
    renderButton({ className: 'mine', ref, onClick, 'aria-describedby': 'help' })
    const button = connectButton()
    expect(button).toHaveClass('mine', 'rpc-button')
    expect(ref.current).toBe(button)
    expect(button).toHaveAttribute('aria-describedby', 'help')
    await user().click(button)
    expect(onClick).toHaveBeenCalledTimes(1)
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
  })

  it('lets the consumer veto the click with preventDefault()', async () => {
    renderButton({ onClick: event => event.preventDefault() })
    await user().click(connectButton())
    expect(browser.openWindow).not.toHaveBeenCalled()
    expect(backend.count('createSetupSession')).toBe(0)
  })

  it('renders the consumer\'s element with asChild, described as opening a new window', async () => {
    renderButton({
      asChild: true,
      children: (
        <a href="#slack" className="ds-link">
          Add Slack
        </a>
      ),
    })
    const link = screen.getByRole('link', { name: 'Add Slack' })
    expect(link).toHaveClass('ds-link', 'rpc-button')
    expect(link).toHaveAttribute('data-status', 'idle')
    expect(link).toHaveAccessibleDescription('(opens in a new window)')
    await user().click(link)
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
  })

  it('merges asChild props onto the element: both refs set, both handlers run, styles combine, preventDefault stops the flow', async () => {
    const forwarded = createRef<HTMLElement>()
    const own = createRef<HTMLAnchorElement>()
    const calls: string[] = []
    let prevent = true
    renderButton({
      asChild: true,
      ref: forwarded as React.Ref<HTMLButtonElement>,
      style: { color: 'red', margin: 1 },
      onClick: () => calls.push('button onClick'),
      children: (
        <a
          ref={own}
          href="#slack"
          style={{ color: 'blue' }}
          aria-describedby="their-hint"
          onClick={event => {
            calls.push('element onClick')
            if (prevent) event.preventDefault()
          }}
        >
          Add Slack
        </a>
      ),
    })
    const link = screen.getByRole('link', { name: 'Add Slack' })
    expect(forwarded.current).toBe(link)
    expect(own.current).toBe(link)
    expect(link).toHaveStyle({ color: 'rgb(0, 0, 255)', margin: '1px' })
    expect(link.getAttribute('aria-describedby')?.split(' ')[0]).toBe('their-hint')
    expect(link).toHaveAccessibleDescription(/opens in a new window/)
    await user().click(link)
    // The element's own handler first; its preventDefault keeps the flow from starting.
    expect(calls).toEqual(['element onClick', 'button onClick'])
    expect(browser.openWindow).not.toHaveBeenCalled()
    prevent = false
    await user().click(link)
    expect(browser.openWindow).toHaveBeenCalledTimes(1)
  })

  it('says what asChild needs when given more than one element', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() =>
      renderButton({
        asChild: true,
        children: (
          <>
            <a href="#a">A</a>
            <a href="#b">B</a>
          </>
        ),
      }),
    ).toThrow(/asChild/)
  })

  it('accepts children as a function of the state', async () => {
    renderButton({ children: state => `${state.providerName}: ${state.status}${state.busy ? ' (busy)' : ''}` })
    expect(connectButton()).toHaveTextContent('Slack: idle')
    await user().click(connectButton())
    await tick()
    expect(connectButton()).toHaveTextContent('Slack: pending (busy)')
  })

  it('takes labels for every string (i18n)', async () => {
    renderButton({
      labels: {
        connect: ({ providerName }) => `Connecter ${providerName}`,
        opensInNewWindow: '(ouvre une nouvelle fenêtre)',
        pending: 'En attente…',
        announcePending: 'Terminez dans la fenêtre.',
        cancel: 'Annuler',
      },
    })
    expect(screen.getByRole('button', { name: 'Connecter Slack (ouvre une nouvelle fenêtre)' })).toBeInTheDocument()
    await user().click(connectButton())
    await tick()
    expect(screen.getByRole('button', { name: 'Annuler' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Terminez dans la fenêtre.')
  })

  it('says where it belongs when rendered outside ConnectProvider without a backend', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<ProviderConnectButton providerId="slack" />)).toThrow(/ConnectProvider/)
  })

  it('works with a backend prop and no provider', async () => {
    const onConnected = vi.fn()
    render(<ProviderConnectButton providerId="github" backend={backend} environment={browser.environment} onConnected={onConnected} />)
    await user().click(screen.getByRole('button', { name: /Connect github/ }))
    await tick()
    backend.complete()
    await tick(1000)
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('stops polling when unmounted', async () => {
    const { unmount } = renderButton()
    await user().click(connectButton())
    await tick()
    unmount()
    const reads = backend.count('getSetupSession')
    await tick(60_000)
    expect(backend.count('getSetupSession')).toBe(reads)
  })
})

describe('reconnecting in place (replacesConnectionId)', () => {
  it('the button sends it with create, and keeps it off the <button>', async () => {
    backend.addConnection({ id: 'pac_old', providerId: 'slack', name: 'Work Slack', status: 'revoked' })
    const { onConnected } = renderButton({ replacesConnectionId: 'pac_old' })
    await user().click(connectButton())
    await tick()
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({ providerId: 'slack', replacesConnectionId: 'pac_old' })
    expect(connectButton()).not.toHaveAttribute('replacesConnectionId')
    expect(connectButton()).not.toHaveAttribute('replacesconnectionid')
    const authConfigId = backend.complete()
    await tick(1000)
    expect(onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ status: 'completed' }))
    expect(backend.connections).toEqual([expect.objectContaining({ id: authConfigId, name: 'Work Slack', status: 'active' })])
  })

  it('the hook sends it with create, and sends none when not given', async () => {
    backend.addConnection({ id: 'pac_old', providerId: 'slack' })
    function Reconnect({ replaces }: { replaces?: string }) {
      const flow = useSetupSession({ providerId: 'slack', replacesConnectionId: replaces })
      return (
        <button type="button" onClick={flow.start}>
          {replaces ? 'Reconnect' : 'Connect'}
        </button>
      )
    }
    render(
      <ConnectProvider backend={backend} environment={browser.environment}>
        <Reconnect replaces="pac_old" />
        <Reconnect />
      </ConnectProvider>,
    )
    await user().click(screen.getByRole('button', { name: 'Reconnect' }))
    await tick()
    await user().click(screen.getByRole('button', { name: 'Connect' }))
    await tick()
    const created = backend.calls.filter(call => call.operation === 'createSetupSession').map(call => call.argument)
    expect(created).toEqual([
      { providerId: 'slack', providerAuthMethodId: 'oauth', replacesConnectionId: 'pac_old' },
      { providerId: 'slack', providerAuthMethodId: 'oauth' },
    ])
  })
})

describe('ProviderConnectButton across an unmount', () => {
  it('hands a session left pending by an unmounted button to the next one (SPA navigation)', async () => {
    const first = renderButton()
    await user().click(connectButton())
    await tick()
    expect(connectButton()).toHaveAttribute('data-status', 'pending')
    first.unmount()

    const authConfigId = backend.complete()
    const second = renderButton()
    await tick()
    await tick(1000)
    expect(connectButton()).toHaveAttribute('data-status', 'completed')
    expect(second.onConnected).toHaveBeenCalledTimes(1)
    expect(second.onConnected).toHaveBeenCalledWith(authConfigId, expect.anything())
    expect(first.onConnected).not.toHaveBeenCalled()
    expect(backend.count('createSetupSession')).toBe(1)
    expect(sessionStorage.length).toBe(0)
  })
})

function AutoStart() {
  const flow = useSetupSession({ providerId: 'slack' })
  const { start } = flow
  useEffect(() => start(), [start])
  return <p data-testid="status">{flow.status}</p>
}

describe('StrictMode', () => {
  it('a flow started from a mount effect reaches pending instead of staying "creating" forever', async () => {
    backend.setLatency(100)
    render(
      <StrictMode>
        <ConnectProvider backend={backend} environment={browser.environment}>
          <AutoStart />
        </ConnectProvider>
      </StrictMode>,
    )
    await tick(500)
    expect(screen.getByTestId('status')).toHaveTextContent('pending')
  })
})

describe('unmount', () => {
  it('closes the placeholder popup when the button unmounts while the session is being created', async () => {
    backend.setLatency(500)
    const view = render(
      <ConnectProvider backend={backend} environment={browser.environment}>
        <ProviderConnectButton providerId="slack" providerName="Slack" />
      </ConnectProvider>,
    )
    await user().click(screen.getByRole('button', { name: /slack/i }))
    expect(browser.popup?.closed).toBe(false)
    view.unmount()
    await tick(1000)
    expect(browser.popup?.closed).toBe(true)
  })
})

describe('providerId prop changes mid-flow', () => {
  it('never reports the previous provider\'s connection to the new one', async () => {
    const onConnected = vi.fn()
    const ui = (providerId: string) => (
      <ConnectProvider backend={backend} environment={browser.environment}>
        <ProviderConnectButton providerId={providerId} onConnected={id => onConnected(providerId, id)} />
      </ConnectProvider>
    )
    const view = render(ui('slack'))
    await user().click(screen.getByRole('button', { name: /slack/i }))
    await tick()
    expect(screen.getByRole('button', { name: /slack/i })).toHaveAttribute('data-status', 'pending')
    view.rerender(ui('github'))
    await tick()
    const button = screen.getByRole('button', { name: /github/i })
    expect(button).toHaveAttribute('data-status', 'idle')
    backend.complete()
    await tick(30_000)
    expect(onConnected).not.toHaveBeenCalled()
  })
})

describe('ProviderConnectButton and the connections it made', () => {
  function Disconnect() {
    const { connections, disconnect } = useConnections()
    return (
      <>
        {connections?.map(connection => (
          <button key={connection.id} type="button" onClick={() => void disconnect(connection.id)}>
            Remove {connection.id}
          </button>
        ))}
      </>
    )
  }

  it('shows the connect state again once its connection is removed elsewhere in the app', async () => {
    render(
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={backend} environment={{ ...browser.environment, openChannel: () => null }}>
          <ProviderConnectButton providerId="slack" providerName="Slack" />
          <Disconnect />
        </ConnectProvider>
      </SWRConfig>,
    )
    await user().click(connectButton())
    await tick()
    const authConfigId = backend.complete()
    await tick(5000)
    expect(connectButton()).toHaveAttribute('data-status', 'completed')
    await user().click(await screen.findByRole('button', { name: `Remove ${authConfigId}` }))
    await tick()
    expect(connectButton()).toHaveAttribute('data-status', 'idle')
    expect(connectButton()).toHaveAccessibleName('Connect Slack (opens in a new window)')
  })

  it('and when it is removed in another tab (the client hears it over its channel)', async () => {
    const listeners = new Set<(event: { data: unknown }) => void>()
    const channel = { postMessage() {}, close() {}, addEventListener: (_: 'message', listener: (event: { data: unknown }) => void) => listeners.add(listener), removeEventListener: (_: 'message', listener: (event: { data: unknown }) => void) => listeners.delete(listener) }
    const client = createConnectClient({ environment: { openChannel: () => channel } })
    render(
      <ConnectProvider backend={backend} environment={browser.environment} client={client}>
        <ProviderConnectButton providerId="slack" providerName="Slack" />
      </ConnectProvider>,
    )
    await user().click(connectButton())
    await tick()
    const authConfigId = backend.complete()
    await tick(5000)
    expect(connectButton()).toHaveAttribute('data-status', 'completed')
    act(() => {
      for (const listener of listeners) listener({ data: { type: 'react-provider-connect:connections-changed', source: 'another-tab', removed: authConfigId } })
    })
    expect(connectButton()).toHaveAttribute('data-status', 'idle')
  })
})

describe('ProviderConnectButton in redirect mode', () => {
  it('says it continues in this window, and never speaks of a popup or a window', async () => {
    renderButton({ mode: 'redirect' })
    expect(connectButton()).toHaveAccessibleName('Connect Slack')
    await user().click(connectButton())
    await tick()
    expect(browser.navigate).toHaveBeenCalledTimes(1)
    expect(connectButton()).toHaveAttribute('data-status', 'pending')
    expect(connectButton()).not.toHaveAccessibleName(/window/i)
    expect(screen.getByRole('status')).not.toHaveTextContent(/window|popup/i)
    expect(screen.getByRole('status')).toHaveTextContent('Continuing to Slack…')
  })

  it('says so too when ConnectProvider picks redirect mode for an in-app browser', () => {
    render(
      <ConnectProvider backend={backend} mode="auto" environment={{ ...browser.environment, userAgent: () => 'Mozilla/5.0 (iPhone) Instagram 300.0' }}>
        <ProviderConnectButton providerId="slack" providerName="Slack" />
      </ConnectProvider>,
    )
    expect(connectButton()).toHaveAccessibleName('Connect Slack')
  })
})
