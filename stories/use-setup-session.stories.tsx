import type { Meta, StoryObj } from '@storybook/react-vite'
import { useId } from 'react'
import { expect, fn, waitFor, within } from 'storybook/test'
import { useSetupSession } from '../src/index.js'
import type { UseSetupSessionOptions } from '../src/index.js'
import { loadMockConnect, mockConnectOf, withMockConnect } from './mock-connect.js'

/** A connect UI of the app's own, built on the headless hook alone. */
function HeadlessConnect(props: UseSetupSessionOptions) {
  const flow = useSetupSession(props)
  const headingId = useId()
  const name = props.providerName ?? props.providerId
  const busy = flow.status === 'creating' || flow.status === 'pending'
  return (
    <section
      aria-labelledby={headingId}
      data-status={flow.status}
      style={{ display: 'grid', gap: '0.75rem', maxWidth: 420, padding: '1rem', border: '1px solid #9ca3af', borderRadius: 8 }}
    >
      <h2 id={headingId} style={{ margin: 0, fontSize: '1.1rem' }}>
        {name}
      </h2>
      <p style={{ margin: 0 }} role="status">
        Status: <strong>{flow.status}</strong>
        {flow.status === 'pending' && !flow.popupBlocked && ` — finish in the ${name} window`}
      </p>
      {flow.authConfigId && (
        <p style={{ margin: 0 }}>
          Auth config: <code>{flow.authConfigId}</code>
        </p>
      )}
      {flow.error && !flow.popupBlocked && (
        <p role="alert" style={{ margin: 0, color: '#b91c1c' }}>
          {flow.error.message} <code>({flow.error.code})</code>
        </p>
      )}
      {flow.popupBlocked && flow.session && (
        <p style={{ margin: 0 }}>
          The popup was blocked.{' '}
          <a
            href={flow.session.url}
            target="_blank"
            rel="noopener noreferrer"
            onClick={event => {
              if (flow.openInNewTab()) event.preventDefault()
            }}
          >
            Continue in a new tab
          </a>
        </p>
      )}
      <div style={{ display: 'flex', gap: '0.5rem' }}>
        <button type="button" onClick={() => flow.start()} disabled={flow.status === 'creating'}>
          {flow.status === 'pending' ? `Show the ${name} window` : flow.status === 'completed' ? 'Reconnect' : 'Start'}
        </button>
        <button type="button" onClick={() => flow.cancel()} disabled={!busy}>
          Cancel
        </button>
        <button type="button" onClick={() => flow.reset()} disabled={flow.status === 'idle'}>
          Reset
        </button>
      </div>
    </section>
  )
}

const meta = {
  title: 'Hooks/useSetupSession',
  component: HeadlessConnect,
  loaders: [loadMockConnect],
  decorators: [withMockConnect],
  args: {
    providerId: 'github',
    providerName: 'GitHub',
    pollInterval: 50,
    maxPollInterval: 500,
    onConnected: fn(),
    onError: fn(),
    onStatusChange: fn(),
  },
} satisfies Meta<typeof HeadlessConnect>

export default meta
type Story = StoryObj<typeof meta>

async function expectStatus(canvasElement: HTMLElement, status: string) {
  await waitFor(() => expect(within(canvasElement).getByRole('region')).toHaveAttribute('data-status', status))
}

/** Start, the user grants access, reset: the whole flow through a custom UI. */
export const Headless: Story = {
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    const canvas = within(canvasElement)
    const { mock } = mockConnectOf({ loaded })
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }))
    await expectStatus(canvasElement, 'pending')
    await expect(canvas.getByRole('status')).toHaveTextContent('Status: pending — finish in the GitHub window')
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeEnabled()
    const authConfigId = mock.complete()
    await expectStatus(canvasElement, 'completed')
    await expect(canvas.getByText(authConfigId)).toBeVisible()
    await expect(args.onConnected).toHaveBeenCalledTimes(1)
    await expect(args.onConnected).toHaveBeenCalledWith(authConfigId, expect.objectContaining({ status: 'completed' }))
    await expect(canvas.getByRole('button', { name: 'Reconnect' })).toBeVisible()
  },
}

/** The error the hook exposes, shown by the app: here the user denied access. */
export const HeadlessFailed: Story = {
  play: async ({ canvasElement, userEvent, loaded }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }))
    await expectStatus(canvasElement, 'pending')
    mockConnectOf({ loaded }).mock.fail(undefined, 'The user denied access.')
    await expectStatus(canvasElement, 'failed')
    await expect(canvas.getByRole('alert')).toHaveTextContent('The user denied access. (session_failed)')
  },
}

/** `popupBlocked` and the session's URL, for the app's own "new tab" link. */
export const HeadlessPopupBlocked: Story = {
  parameters: { mockConnect: { blockPopup: true } },
  play: async ({ canvasElement, userEvent, loaded }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }))
    await expectStatus(canvasElement, 'pending')
    const link = canvas.getByRole('link', { name: 'Continue in a new tab' })
    await expect(link).toHaveAttribute('href', mockConnectOf({ loaded }).mock.lastSession()?.url)
  },
}
