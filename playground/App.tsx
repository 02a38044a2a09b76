import { useCallback, useState } from 'react'
import { ConnectProvider, ConnectionsList, ProviderConnectButton } from '../src/index.js'
import type { SetupFlowEvent, SetupMode } from '../src/index.js'
import { SendLink } from './SendLink.js'
import { ar, de, en, es, fr, ja, matchLocale, ptBR, zhCN } from '../src/locales/index.js'
import type { Locale } from '../src/locales/index.js'
import '../src/styles.css'

/** Set by the playground's Vite server: whether Metorial is the in-process simulation. */
declare const __PLAYGROUND_SIMULATION__: boolean

const ENDPOINT = '/api/connect'
const MODES: SetupMode[] = ['popup', 'redirect', 'auto']

function readUser(): string {
  return /(?:^|;\s*)demo_user=([^;]*)/.exec(document.cookie)?.[1] ?? 'demo-user'
}

function readTenant(): string | null {
  return /(?:^|;\s*)demo_tenant=([^;]*)/.exec(document.cookie)?.[1] || null
}

function readMode(): SetupMode {
  const mode = new URLSearchParams(window.location.search).get('mode')
  return MODES.includes(mode as SetupMode) ? (mode as SetupMode) : 'popup'
}

/** English first (it answers when the browser's languages match none), then every shipped locale. */
const LOCALES: readonly Locale[] = [en, de, fr, es, ja, ptBR, zhCN, ar]

/** `?lang=ar` picks one locale; without it the library follows the browser's languages. */
function readLocale(): Locale | readonly Locale[] {
  const lang = new URLSearchParams(window.location.search).get('lang')
  return (lang && matchLocale(LOCALES, [lang])) || LOCALES
}

/** What the host app heard, so a person (and the end-to-end tests) can see it. */
function useEventLog() {
  const [entries, setEntries] = useState<string[]>([])
  const log = useCallback((entry: string) => setEntries(list => [...list, entry]), [])
  return { entries, log }
}

export function App() {
  const user = readUser()
  const tenant = readTenant()
  const mode = readMode()
  const locale = readLocale()
  const connected = useEventLog()
  const events = useEventLog()
  const onEvent = useCallback(
    (event: SetupFlowEvent) => {
      if (event.type !== 'poll') events.log(`${event.providerId}: ${event.type}${'status' in event ? ` → ${event.status}` : ''}`)
    },
    [events],
  )

  return (
    <ConnectProvider endpoint={ENDPOINT} redirectUrl="/callback.html" mode={mode} locale={locale}>
      <div className="pg-shell">
        <header className="pg-header">
          <h1>Integrations</h1>
          <p className="pg-user">
            Signed in as <strong data-testid="current-user">{user}</strong> · switch to <a href="?user=alice">alice</a> or{' '}
            <a href="?user=demo-user">demo-user</a> · tenant{' '}
            <strong data-testid="current-tenant">{tenant ?? 'none'}</strong> (
            {tenant === 'acme' ? <a href="?tenant=">leave Acme</a> : <a href="?tenant=acme">Acme, with its own OAuth apps</a>})
          </p>
        </header>
        <p className="pg-lead">
          Connect the tools your workspace uses. The consent page is Metorial's, simulated here: Allow, Deny, or let it
          expire.
          {__PLAYGROUND_SIMULATION__ && (
            <>
              {' '}
              To revoke an account behind the app's back, archive or delete it in the{' '}
              <a href="/metorial/dashboard" target="_blank" rel="noopener">
                Metorial dashboard (simulated)<span className="pg-visually-hidden"> (opens in a new tab)</span>
              </a>
              : back on this tab, the list shows it disconnected, with Reconnect, at its next check (the server asks
              Metorial at most once a minute).
            </>
          )}{' '}
          “Send me a link” makes a connect link, as an agent in a chat would: open it in any browser.
        </p>
        <nav className="pg-modes" aria-label="Connect mode">
          {MODES.map(item => (
            <a key={item} href={`?mode=${item}`} aria-current={item === mode ? 'page' : undefined}>
              {item}
            </a>
          ))}
        </nav>

        {/* Zero-config: the catalogue comes from the server (GET /api/connect/providers). */}
        <ConnectionsList
          aria-label="Integrations"
          onConnected={(authConfigId, provider) => connected.log(`onConnected(${authConfigId}) ${provider.providerId}`)}
          onDisconnected={(authConfigId, provider) => events.log(`onDisconnected(${authConfigId}) ${provider.providerId}`)}
          onError={(error, provider) => events.log(`onError(${error.code}) ${provider.providerId}`)}
          onEvent={onEvent}
          renderRow={row => (
            <>
              {row.defaultContent}
              <SendLink row={row} />
            </>
          )}
        />

        <section className="pg-card" aria-labelledby="quick-heading">
          <h2 id="quick-heading">A single button</h2>
          <p className="pg-empty">
            <code>&lt;ProviderConnectButton&gt;</code> on its own, for apps that show one provider at a time.
          </p>
          <div className="pg-row">
            <ProviderConnectButton
              providerId="linear"
              providerName="Linear"
              onConnected={authConfigId => connected.log(`onConnected(${authConfigId}) linear (button)`)}
              onEvent={onEvent}
            />
          </div>
        </section>

        <section className="pg-card" aria-labelledby="legacy-heading">
          <h2 id="legacy-heading">The older OAuth sessions API</h2>
          <p className="pg-empty">
            Served by <code>createConnectServer(&#123; api: 'oauth-sessions' &#125;)</code> at <code>/api/connect-legacy</code>, over the same
            store: the connection is the OAuth session (<code>soas_…</code>).
          </p>
          <div className="pg-row">
            <ConnectProvider endpoint="/api/connect-legacy" redirectUrl="/callback.html" mode={mode} locale={locale}>
              <ProviderConnectButton
                providerId="notion"
                providerName="Notion (legacy)"
                providerDeploymentId="svd_notion_legacy"
                onConnected={authConfigId => connected.log(`onConnected(${authConfigId}) notion (legacy)`)}
                onEvent={onEvent}
              />
            </ConnectProvider>
          </div>
        </section>

        <section className="pg-card" aria-labelledby="events-heading">
          <h2 id="events-heading">What the app received</h2>
          {connected.entries.length === 0 && <p className="pg-empty">No onConnected calls yet.</p>}
          <ol className="pg-log" data-testid="connected-log">
            {connected.entries.map((entry, index) => (
              <li key={`${entry}-${index}`}>{entry}</li>
            ))}
          </ol>
          <details className="pg-details">
            <summary>Flow events ({events.entries.length})</summary>
            <ol className="pg-log" data-testid="event-log">
              {events.entries.map((entry, index) => (
                <li key={`${entry}-${index}`}>{entry}</li>
              ))}
            </ol>
          </details>
        </section>
      </div>
    </ConnectProvider>
  )
}
