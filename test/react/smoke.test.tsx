import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { expect, it, vi } from 'vitest'
import { ConnectProvider, ProviderConnectButton } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'

it('connects', async () => {
  const backend = createMockBackend()
  const popup = { closed: false, focus: vi.fn(), close: vi.fn(), location: { replace: vi.fn() } }
  const onConnected = vi.fn()
  render(
    <ConnectProvider backend={backend} environment={{ openWindow: () => popup }}>
      <ProviderConnectButton providerId="slack" providerName="Slack" onConnected={onConnected} pollInterval={10} />
    </ConnectProvider>,
  )
  const user = userEvent.setup()
  await user.click(screen.getByRole('button', { name: 'Connect Slack (opens in a new window)' }))
  await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
  backend.complete()
  await vi.waitFor(() => expect(onConnected).toHaveBeenCalledTimes(1))
  expect(screen.getByRole('status')).toHaveTextContent('Slack connected.')
  expect(popup.location.replace).toHaveBeenCalledWith(expect.stringContaining('https://consent.example.com'))
})
