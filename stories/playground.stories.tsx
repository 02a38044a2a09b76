import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMemo, useState } from 'react'
import { expect, waitFor, within } from 'storybook/test'
import { ConnectProvider, ProviderConnectButton } from '../src/index.js'
import type { ConnectBackend, FlowEnvironment, SetupFlowEvent, SetupMode } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import { createFakePopup } from './mock-connect.js'
import { storyLocale } from './story-locale.js'
import type { Locale } from '../src/locales/index.js'

/** What the user does on the (pretend) consent page, or what goes wrong on the way. */
type Outcome = 'allow' | 'deny' | 'let it expire' | 'backend down' | 'never answer'

interface PlaygroundArgs {
  providerName: string
  mode: SetupMode
  /** First delay between two status checks, in ms. */
  pollInterval: number
  /** Longest delay between two status checks, in ms. */
  maxPollInterval: number
  /** Give up after this many ms (0: no timeout). */
  timeout: number
  /** Longest wait for one request to the backend, in ms. */
  requestTimeout: number
  /** The mock backend's latency for every call, in ms. */
  latency: number
  outcome: Outcome
  /** How long the user stays on the consent page before the outcome, in ms. */
  outcomeAfter: number
  /** The browser blocks the popup (`window.open` returns null). */
  blockPopup: boolean
  theme: 'light' | 'dark'
  /** Button text when idle; `{provider}` is replaced by the provider's name. */
  connectLabel: string
  /** Button text once connected. */
  completedLabel: string
  showCancel: boolean
  unstyled: boolean
}

/**
 * A backend whose sessions end the way the controls say: the mock plays the server, and a timer
 * plays the user on the consent page.
 */
function useScriptedBackend(args: PlaygroundArgs): ConnectBackend {
  const { latency, outcome, outcomeAfter } = args
  return useMemo(() => {
    const mock = createMockBackend({ latency, lifetimeMs: outcome === 'let it expire' ? outcomeAfter : 30 * 60_000 })
    return {
      ...mock,
      async createSetupSession(input, options) {
        if (outcome === 'backend down') mock.failNext('createSetupSession', { status: 503, message: 'The connect service is down.' })
        const session = await mock.createSetupSession(input, options)
        if (outcome === 'allow') setTimeout(() => mock.complete(session.id), outcomeAfter)
        if (outcome === 'deny') setTimeout(() => mock.fail(session.id, 'The user denied access.'), outcomeAfter)
        return session
      },
      getSetupSession(id, options) {
        if (outcome !== 'never answer') return mock.getSetupSession(id, options)
        // A read that never answers: the flow's own request timeout has to end it.
        return new Promise((_, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason)))
      },
    }
  }, [latency, outcome, outcomeAfter])
}

function Playground(args: PlaygroundArgs & { locale?: Locale | undefined }) {
  const backend = useScriptedBackend(args)
  const environment = useMemo<Partial<FlowEnvironment>>(
    () => ({ openWindow: () => (args.blockPopup ? null : createFakePopup()), navigate: () => {} }),
    [args.blockPopup],
  )
  const [events, setEvents] = useState<string[]>([])
  const [connected, setConnected] = useState<string | null>(null)
  // The two label controls are English: with the toolbar's language, the locale speaks instead.
  const labels = args.locale ? {} : {
    connect: ({ providerName }: { providerName: string }) => args.connectLabel.replaceAll('{provider}', providerName),
    completed: ({ providerName }: { providerName: string }) => args.completedLabel.replaceAll('{provider}', providerName),
  }
  // Scheduled polls are left out: their number depends on timing, the rest tells the story.
  const log = (event: SetupFlowEvent) => {
    if (event.type !== 'poll') setEvents(previous => [...previous.slice(-7), describe(event)])
  }
  return (
    <div data-theme={args.theme} style={{ display: 'grid', gap: '1rem', padding: '1rem', background: 'var(--rpc-bg)', color: 'var(--rpc-text)' }}>
      <ConnectProvider backend={backend} environment={environment} locale={args.locale}>
        <div>
          <ProviderConnectButton
            // A new flow whenever the scripted world changes, so every try starts from idle.
            key={`${args.outcome}-${args.latency}-${args.blockPopup}-${args.mode}-${args.requestTimeout}`}
            providerId="slack"
            providerName={args.providerName}
            mode={args.mode}
            pollInterval={args.pollInterval}
            maxPollInterval={args.maxPollInterval}
            {...(args.timeout > 0 ? { timeout: args.timeout } : {})}
            requestTimeout={args.requestTimeout}
            labels={labels}
            showCancel={args.showCancel}
            unstyled={args.unstyled}
            onConnected={id => setConnected(id)}
            onEvent={log}
          />
        </div>
      </ConnectProvider>
      <p style={{ margin: 0, fontFamily: 'system-ui, sans-serif' }}>
        onConnected: <output aria-label="onConnected">{connected ?? 'not yet'}</output>
      </p>
      <ol aria-label="Events" style={{ margin: 0, fontFamily: 'ui-monospace, monospace', fontSize: '0.8125rem' }}>
        {events.map((event, index) => (
          <li key={index}>{event}</li>
        ))}
      </ol>
    </div>
  )
}

function describe(event: SetupFlowEvent): string {
  if (event.type === 'status_changed') return `status_changed: ${event.previousStatus} -> ${event.status}`
  if (event.type === 'poll_failed') return `poll_failed: ${event.error.code}`
  return event.type
}

const meta = {
  title: 'Playground',
  component: Playground,
  render: (args, { globals }) => <Playground {...args} locale={storyLocale(globals)} />,
  parameters: {
    docs: {
      description: {
        component:
          'Every option of the button, and the world around it: how the user answers on the consent page, how slow the backend is, whether the browser blocks the popup. Change a control, then click the button.',
      },
    },
  },
  args: {
    providerName: 'Slack',
    mode: 'popup',
    pollInterval: 1000,
    maxPollInterval: 5000,
    timeout: 0,
    requestTimeout: 15_000,
    latency: 150,
    outcome: 'allow',
    outcomeAfter: 1500,
    blockPopup: false,
    theme: 'light',
    connectLabel: 'Connect {provider}',
    completedLabel: '{provider} connected',
    showCancel: true,
    unstyled: false,
  },
  argTypes: {
    providerName: { control: 'text', description: 'The provider’s display name, in labels and the popup placeholder.' },
    mode: { control: 'inline-radio', options: ['popup', 'redirect', 'auto'], description: '`popup`, `redirect` (the page would navigate; here it stays), or `auto`.' },
    pollInterval: { control: { type: 'number', min: 50, step: 50 }, description: 'First delay between two status checks, in ms.' },
    maxPollInterval: { control: { type: 'number', min: 50, step: 50 }, description: 'Longest delay between two status checks, in ms.' },
    timeout: { control: { type: 'number', min: 0, step: 500 }, description: 'Give up after this many ms (`error`, code `timeout`); 0 for none.' },
    requestTimeout: { control: { type: 'number', min: 100, step: 500 }, description: 'A request that has not answered after this many ms is aborted and counts as a network failure (try it with "never answer").' },
    latency: { control: { type: 'range', min: 0, max: 3000, step: 50 }, description: 'The mock backend’s latency for every call, in ms.' },
    outcome: {
      control: 'select',
      options: ['allow', 'deny', 'let it expire', 'backend down', 'never answer'],
      description: 'What happens on the consent page, or on the way: the user allows or denies, the session expires, the backend is down, or status reads never answer.',
    },
    outcomeAfter: { control: { type: 'range', min: 0, max: 10_000, step: 100 }, description: 'How long the user stays on the consent page before the outcome, in ms.' },
    blockPopup: { control: 'boolean', description: 'The browser blocks the popup (`window.open` returns null).' },
    theme: { control: 'inline-radio', options: ['light', 'dark'], description: 'The default look’s theme (`data-theme`).' },
    connectLabel: { control: 'text', description: 'Button text when idle; `{provider}` is the provider’s name.' },
    completedLabel: { control: 'text', description: 'Button text once connected.' },
    showCancel: { control: 'boolean', description: 'Show Cancel while the user is on the consent page.' },
    unstyled: { control: 'boolean', description: 'Drop the default class names.' },
  },
} satisfies Meta<typeof Playground>

export default meta
type Story = StoryObj<typeof meta>

/** Click the button: the pretend user allows access after 1.5 s and `onConnected` receives the auth config id. */
export const TryTheFlow: Story = {
  name: 'Playground',
  args: { pollInterval: 100, outcomeAfter: 300 },
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: /Connect Slack/ }))
    await waitFor(() => expect(canvas.getByRole('button', { name: /Slack connected/ })).toHaveAttribute('data-status', 'completed'), { timeout: 5000 })
    await expect(canvas.getByLabelText('onConnected')).toHaveTextContent(/^pac_/)
  },
}

/** The pretend user denies access: the button says why and offers to try again. */
export const Denied: Story = {
  args: { pollInterval: 100, outcome: 'deny', outcomeAfter: 300, theme: 'dark' },
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: /Connect Slack/ }))
    await waitFor(() => expect(canvas.getByRole('button', { name: /Try Slack again/ })).toHaveAttribute('data-status', 'failed'), { timeout: 5000 })
    await expect(canvas.getByText('The user denied access.')).toBeVisible()
    await expect(canvas.getByLabelText('onConnected')).toHaveTextContent('not yet')
  },
}
