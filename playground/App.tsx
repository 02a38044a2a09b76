import { useCallback, useEffect, useState } from 'react'
import { ConnectProvider, ProviderConnectButton, type Connection } from '../src/index.js'
import { PLAYGROUND_PROVIDERS } from './providers.js'

const ENDPOINT = '/api/connect'

function readUser(): string {
  return /(?:^|;\s*)demo_user=([^;]*)/.exec(document.cookie)?.[1] ?? 'demo-user'
}

type ConnectionsState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: Connection[] }

function useConnectionsList() {
  const [state, setState] = useState<ConnectionsState>({ status: 'loading' })
  const refresh = useCallback(async () => {
    try {
      const response = await fetch(`${ENDPOINT}/connections`, { headers: { accept: 'application/json' } })
      const body = (await response.json()) as { items?: Connection[]; message?: string }
      if (!response.ok) throw new Error(body.message ?? `The server answered ${response.status}.`)
      setState({ status: 'ready', items: body.items ?? [] })
    } catch (error) {
      setState({ status: 'error', message: error instanceof Error ? error.message : String(error) })
    }
  }, [])
  useEffect(() => {
    void refresh()
  }, [refresh])
  return { state, refresh }
}

function providerName(providerId: string): string {
  return PLAYGROUND_PROVIDERS.find(provider => provider.providerId === providerId)?.name ?? providerId
}

export function App() {
  const { state, refresh } = useConnectionsList()
  const [connectedLog, setConnectedLog] = useState<string[]>([])
  const user = readUser()

  const onConnected = useCallback(
    (authConfigId: string) => {
      setConnectedLog(log => [...log, authConfigId])
      void refresh()
    },
    [refresh],
  )

  async function disconnect(id: string) {
    await fetch(`${ENDPOINT}/connections/${encodeURIComponent(id)}`, { method: 'DELETE' })
    await refresh()
  }

  return (
    <ConnectProvider endpoint={ENDPOINT}>
      <div className="pg-shell">
        <header className="pg-header">
          <h1>Integrations</h1>
          <p className="pg-user">
            Signed in as <strong data-testid="current-user">{user}</strong> · switch to <a href="?user=alice">alice</a> or{' '}
            <a href="?user=demo-user">demo-user</a>
          </p>
        </header>
        <p className="pg-lead">Connect the tools your workspace uses. Each opens the provider's consent page in a new window.</p>

        <section className="pg-card" aria-labelledby="providers-heading">
          <h2 id="providers-heading">Available providers</h2>
          <ul className="pg-list">
            {PLAYGROUND_PROVIDERS.map(provider => (
              <li className="pg-row" key={provider.providerId}>
                <span className="pg-icon" aria-hidden="true">{provider.icon}</span>
                <span className="pg-name">{provider.name}</span>
                <ProviderConnectButton providerId={provider.providerId} providerName={provider.name} onConnected={onConnected} />
              </li>
            ))}
          </ul>
        </section>

        <section className="pg-card" aria-labelledby="connections-heading">
          <h2 id="connections-heading">Your connections</h2>
          {state.status === 'loading' && <p className="pg-empty">Loading…</p>}
          {state.status === 'error' && (
            <p className="pg-error" role="alert">
              Could not load connections: {state.message}
            </p>
          )}
          {state.status === 'ready' && state.items.length === 0 && <p className="pg-empty">No connections yet.</p>}
          {state.status === 'ready' && state.items.length > 0 && (
            <ul className="pg-list" data-testid="connections">
              {state.items.map(connection => (
                <li className="pg-row" key={connection.id} data-provider-id={connection.providerId}>
                  <span className="pg-name">
                    {providerName(connection.providerId)}
                    <small>
                      {connection.name ?? connection.id}
                      {connection.createdAt ? ` · since ${new Date(connection.createdAt).toLocaleString()}` : ''}
                    </small>
                  </span>
                  <button type="button" className="pg-secondary" onClick={() => void disconnect(connection.id)}>
                    Disconnect<span className="pg-visually-hidden"> {providerName(connection.providerId)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="pg-card" aria-labelledby="events-heading">
          <h2 id="events-heading">Events</h2>
          {connectedLog.length === 0 && <p className="pg-empty">No onConnected calls yet.</p>}
          <ol className="pg-log" data-testid="connected-log" aria-live="polite">
            {connectedLog.map((id, index) => (
              <li key={`${id}-${index}`}>onConnected({id})</li>
            ))}
          </ol>
        </section>
      </div>
    </ConnectProvider>
  )
}
