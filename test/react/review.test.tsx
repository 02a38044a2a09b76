import { act, render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { StrictMode, useEffect } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectProvider, ProviderConnectButton, useSetupSession } from '../../src/index.js'
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

function AutoStart() {
  const flow = useSetupSession({ providerId: 'slack' })
  const { start } = flow
  useEffect(() => start(), [start])
  return <p data-testid="status">{flow.status}</p>
}

describe('review: StrictMode', () => {
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

describe('review: unmount', () => {
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

describe('review: providerId prop changes mid-flow', () => {
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
