import type { Meta, StoryObj } from '@storybook/react-vite'
import type { ComponentProps } from 'react'
import { expect, fn, waitFor, within } from 'storybook/test'
import { ProviderConnectButton } from '../src/index.js'
import type { ConnectButtonLabels, SetupFlowStatus } from '../src/index.js'
import { loadMockConnect, mockConnectOf, withMockConnect } from './mock-connect.js'
import type { MockConnectParameters } from './mock-connect.js'

const meta = {
  title: 'Components/ProviderConnectButton',
  component: ProviderConnectButton,
  loaders: [loadMockConnect],
  decorators: [withMockConnect],
  args: {
    providerId: 'slack',
    providerName: 'Slack',
    // Short polls so every story reaches its status at once.
    pollInterval: 50,
    maxPollInterval: 500,
    onConnected: fn(),
    onError: fn(),
    onStatusChange: fn(),
  },
  argTypes: {
    providerName: { control: 'text' },
    showCancel: { control: 'boolean' },
    unstyled: { control: 'boolean' },
  },
} satisfies Meta<typeof ProviderConnectButton>

export default meta
type Story = StoryObj<typeof meta>

const mockConnect = (parameters: MockConnectParameters) => ({ mockConnect: parameters })

/** The connect button, found by the part of its accessible name every status shares. */
function connectButton(canvasElement: HTMLElement, name: RegExp = /opens in a new window/): HTMLElement {
  return within(canvasElement).getByRole('button', { name })
}

async function expectStatus(canvasElement: HTMLElement, status: SetupFlowStatus, name?: RegExp) {
  await waitFor(() => expect(connectButton(canvasElement, name)).toHaveAttribute('data-status', status))
}

/** Clicks the button and waits until the user would be on the consent page. */
async function startAndWaitForPending(canvasElement: HTMLElement, userEvent: { click(element: Element): Promise<void> }, name?: RegExp) {
  await userEvent.click(connectButton(canvasElement, name))
  await expectStatus(canvasElement, 'pending', name)
}

/** Before any click. Clicking it here runs the whole flow: the mock completes the session after 2 s. */
export const Idle: Story = {
  parameters: mockConnect({ mockBackend: { latency: 300, autoComplete: 2000 } }),
  play: async ({ canvasElement }) => {
    const button = connectButton(canvasElement)
    await expect(button).toHaveAttribute('data-status', 'idle')
    await expect(button).toHaveAccessibleName('Connect Slack (opens in a new window)')
    await expect(button).not.toHaveAttribute('aria-busy')
  },
}

/** The backend is creating the session (this mock never answers). */
export const Creating: Story = {
  parameters: mockConnect({ mockBackend: { latency: 24 * 60 * 60_000 } }),
  play: async ({ canvasElement, userEvent }) => {
    await userEvent.click(connectButton(canvasElement))
    await expectStatus(canvasElement, 'creating')
    await expect(connectButton(canvasElement)).toHaveAttribute('aria-busy', 'true')
    await expect(connectButton(canvasElement)).toHaveTextContent('Connecting…')
  },
}

/** The user is on the consent page; the button waits and offers Cancel. */
export const Pending: Story = {
  play: async ({ canvasElement, userEvent }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    const canvas = within(canvasElement)
    await expect(connectButton(canvasElement)).toHaveAttribute('aria-busy', 'true')
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toBeVisible()
    await expect(canvas.getByRole('status')).toHaveTextContent('Finish connecting in the Slack window.')
  },
}

/** `window.open` returned null: the session goes on, and a link opens it in a new tab. */
export const PopupBlocked: Story = {
  parameters: mockConnect({ blockPopup: true }),
  play: async ({ canvasElement, userEvent, loaded }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    const { mock } = mockConnectOf({ loaded })
    await expect(connectButton(canvasElement)).toHaveAttribute('data-popup-blocked')
    const link = within(canvasElement).getByRole('link', { name: 'Continue in a new tab' })
    await expect(link).toHaveAttribute('href', mock.lastSession()?.url)
    await expect(link).toHaveAttribute('target', '_blank')
  },
}

/** The backend reports `completed`: `onConnected` fires once with the auth config id. */
export const Completed: Story = {
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    mockConnectOf({ loaded }).mock.complete(undefined, { authConfigId: 'pac_story_slack' })
    await expectStatus(canvasElement, 'completed')
    await expect(connectButton(canvasElement)).toHaveTextContent('Slack connected')
    await expect(args.onConnected).toHaveBeenCalledTimes(1)
    await expect(args.onConnected).toHaveBeenCalledWith('pac_story_slack', expect.objectContaining({ status: 'completed' }))
  },
}

/** The session expired before the user finished. */
export const Expired: Story = {
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    mockConnectOf({ loaded }).mock.expire()
    await expectStatus(canvasElement, 'expired')
    await expect(connectButton(canvasElement)).toHaveTextContent('Try Slack again')
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('The Slack connection expired. Try again.')
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'session_expired' }))
  },
}

/** The user denied access on the consent page. */
export const Failed: Story = {
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    mockConnectOf({ loaded }).mock.fail(undefined, 'The user denied access.')
    await expectStatus(canvasElement, 'failed')
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Slack was not connected: The user denied access.')
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'session_failed' }))
  },
}

/** The app's backend archived the session before it completed. */
export const Archived: Story = {
  play: async ({ canvasElement, userEvent, loaded }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    mockConnectOf({ loaded }).mock.archive()
    await expectStatus(canvasElement, 'archived')
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('The Slack connection was closed. Try again.')
  },
}

/** The user pressed Cancel while on the consent page. */
export const Cancelled: Story = {
  play: async ({ canvasElement, userEvent, args }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Cancel' }))
    await expectStatus(canvasElement, 'cancelled')
    await expect(within(canvasElement).queryByRole('button', { name: 'Cancel' })).toBeNull()
    await expect(connectButton(canvasElement)).toHaveTextContent('Connect Slack')
    await expect(args.onConnected).not.toHaveBeenCalled()
  },
}

/** The app's backend answered 500 to the create call. */
export const ErrorStatus: Story = {
  name: 'Error',
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    mockConnectOf({ loaded }).mock.failNext('createSetupSession', { status: 500, message: 'The connect service is down.' })
    await userEvent.click(connectButton(canvasElement))
    await expectStatus(canvasElement, 'error')
    await expect(connectButton(canvasElement)).toHaveTextContent('Try Slack again')
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Could not connect Slack: The connect service is down.')
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'http', status: 500 }))
  },
}

/** Polls failing for good: with `maxRetries: 0`, the first 5xx ends the flow in `error`. */
export const ErrorWhilePolling: Story = {
  args: { maxRetries: 0 },
  play: async ({ canvasElement, userEvent, loaded }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    mockConnectOf({ loaded }).mock.failNext('getSetupSession', { status: 502, message: 'Bad gateway.' })
    await expectStatus(canvasElement, 'error')
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Could not connect Slack: Bad gateway.')
  },
}

/** A backend answer with a `javascript:` URL is refused, never opened. */
export const InvalidResponse: Story = {
  play: async ({ canvasElement, userEvent, loaded, args }) => {
    mockConnectOf({ loaded }).mock.respondNext('createSetupSession', { id: 'pas_evil', status: 'pending', url: 'javascript:alert(1)' })
    await userEvent.click(connectButton(canvasElement))
    await expectStatus(canvasElement, 'error')
    await expect(args.onError).toHaveBeenCalledTimes(1)
  },
}

/** A design system's own button. */
function FancyButton(props: ComponentProps<'button'>) {
  return (
    <button
      type="button"
      {...props}
      style={{
        padding: '0.6rem 1.2rem',
        border: 0,
        borderRadius: 999,
        background: 'linear-gradient(90deg, #7c3aed, #db2777)',
        color: 'white',
        fontWeight: 600,
        cursor: 'pointer',
        ...props.style,
      }}
    />
  )
}

/**
 * `asChild`: the behaviour and `data-*` attributes land on the consumer's element; "(opens in a
 * new window)" becomes its accessible description.
 */
export const AsChild: Story = {
  args: {
    providerId: 'github',
    providerName: 'GitHub',
    asChild: true,
    children: state => <FancyButton className="fancy">{state.label}</FancyButton>,
  },
  play: async ({ canvasElement, userEvent, loaded }) => {
    const name = /GitHub/
    await startAndWaitForPending(canvasElement, userEvent, name)
    mockConnectOf({ loaded }).mock.complete()
    await expectStatus(canvasElement, 'completed', name)
    const button = connectButton(canvasElement, name)
    await expect(button).toHaveClass('fancy')
    await expect(button).toHaveAccessibleName('GitHub connected')
    await expect(button).toHaveAccessibleDescription('(opens in a new window)')
  },
}

/** `children` as a function of the state. */
export const CustomChildren: Story = {
  args: {
    providerId: 'github',
    providerName: 'GitHub',
    children: ({ status, busy, label }) => (
      <>
        <span aria-hidden="true">{busy ? '…' : status === 'completed' ? '•' : '+'}</span> {label}{' '}
        <small>({status})</small>
      </>
    ),
  },
  play: async ({ canvasElement, userEvent, loaded }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    await expect(connectButton(canvasElement)).toHaveTextContent('(pending)')
    mockConnectOf({ loaded }).mock.complete()
    await expectStatus(canvasElement, 'completed')
    await expect(connectButton(canvasElement)).toHaveTextContent('• GitHub connected (completed)')
  },
}

const french: Partial<ConnectButtonLabels> = {
  connect: ({ providerName }) => `Connecter ${providerName}`,
  creating: 'Connexion…',
  pending: ({ providerName }) => `En attente de ${providerName}…`,
  blocked: ({ providerName }) => `Ouvrir ${providerName}`,
  completed: ({ providerName }) => `${providerName} connecté`,
  retry: 'Réessayer',
  opensInNewWindow: '(s’ouvre dans une nouvelle fenêtre)',
  cancel: 'Annuler',
  popupBlocked: ({ providerName }) => `Votre navigateur a bloqué la fenêtre ${providerName}.`,
  continueInNewTab: 'Continuer dans un nouvel onglet',
  announceCreating: ({ providerName }) => `Connexion à ${providerName}…`,
  announcePending: ({ providerName }) => `Terminez la connexion dans la fenêtre ${providerName}.`,
  announceCompleted: ({ providerName }) => `${providerName} connecté.`,
  announceFailed: ({ providerName, error }) => `${providerName} n’a pas été connecté : ${error?.message ?? 'accès refusé.'}`,
  announceExpired: ({ providerName }) => `La connexion à ${providerName} a expiré. Réessayez.`,
  announceArchived: ({ providerName }) => `La connexion à ${providerName} a été fermée. Réessayez.`,
  announceCancelled: ({ providerName }) => `Connexion à ${providerName} annulée.`,
  announceError: ({ providerName, error }) => `Impossible de connecter ${providerName} : ${error?.message ?? 'une erreur est survenue.'}`,
}

/** `labels` for i18n: every string shown or announced, here in French, with a blocked popup. */
export const Labels: Story = {
  args: { providerId: 'google-calendar', providerName: 'Google Agenda', labels: french },
  parameters: mockConnect({ blockPopup: true }),
  play: async ({ canvasElement, userEvent }) => {
    const opensInNewWindow = /nouvelle fenêtre/
    const canvas = within(canvasElement)
    await expect(connectButton(canvasElement, opensInNewWindow)).toHaveAccessibleName('Connecter Google Agenda (s’ouvre dans une nouvelle fenêtre)')
    await userEvent.click(connectButton(canvasElement, opensInNewWindow))
    await expectStatus(canvasElement, 'pending', opensInNewWindow)
    // Blocked, the button offers to open the window again (`labels.blocked`).
    await expect(connectButton(canvasElement, opensInNewWindow)).toHaveTextContent('Ouvrir Google Agenda')
    await expect(canvas.getByRole('button', { name: 'Annuler' })).toBeVisible()
    await expect(canvas.getByRole('link', { name: 'Continuer dans un nouvel onglet' })).toBeVisible()
  },
}

/** `unstyled` drops the `rpc-*` classes; `data-status` stays for the app's own CSS. */
export const Unstyled: Story = {
  args: {
    unstyled: true,
    className: 'my-connect-button',
    style: { font: 'inherit', padding: '0.25rem 0.75rem', border: '2px dashed currentColor', background: 'transparent', color: 'inherit' },
  },
  play: async ({ canvasElement, userEvent }) => {
    await startAndWaitForPending(canvasElement, userEvent)
    const button = connectButton(canvasElement)
    await expect(button).not.toHaveClass('rpc-button')
    await expect(button).toHaveClass('my-connect-button')
    await expect(within(canvasElement).getByRole('button', { name: 'Cancel' })).not.toHaveClass('rpc-button-cancel')
  },
}

/** The completed button in the dark theme. */
export const DarkTheme: Story = {
  ...Completed,
  globals: { theme: 'dark' },
}
