import { useEffect, useRef, useState } from 'react'
import { useConnections } from '../src/index.js'
import type { Connection, ConnectionsListRowRenderProps } from '../src/index.js'

type LinkState =
  | { step: 'idle' }
  | { step: 'making' }
  | { step: 'waiting'; url: string; expiresAt: string }
  | { step: 'connected'; name: string }
  | { step: 'error'; message: string }

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  return body?.error?.message ?? `The server answered ${response.status}.`
}

/**
 * "Send me a link" beside a provider: what an agent's server code does when it needs the user's
 * account from a chat. The playground's server makes a connect link for the signed-in user
 * (`createConnectLink`) and waits for the connection (`waitForConnection`); the page shows the link
 * as a chat would, and the wait. Open the link anywhere (another browser, a phone): no app session
 * is needed.
 */
export function SendLink({ row }: { row: ConnectionsListRowRenderProps }) {
  const { provider, state, connections } = row
  const { mutate } = useConnections()
  const [link, setLink] = useState<LinkState>({ step: 'idle' })
  const stop = useRef<AbortController | null>(null)
  useEffect(() => () => stop.current?.abort(), [])

  // Only where a link helps: nothing connected yet, or an account to reconnect.
  if (state !== 'disconnected' && state !== 'revoked' && state !== 'error' && link.step === 'idle') return null
  const revoked = connections.find(item => item.status === 'revoked' || item.revokedAt) as Connection | undefined
  const name = provider.name ?? provider.providerId

  async function send(): Promise<void> {
    stop.current?.abort()
    const controller = new AbortController()
    stop.current = controller
    setLink({ step: 'making' })
    try {
      const made = await fetch('/api/demo/links', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: provider.providerId, ...(revoked ? { replacesConnectionId: revoked.id } : {}) }),
        signal: controller.signal,
      })
      if (!made.ok) return setLink({ step: 'error', message: await errorMessage(made) })
      const { url, expiresAt } = (await made.json()) as { url: string; expiresAt: string }
      setLink({ step: 'waiting', url, expiresAt })
      for (;;) {
        const waited = await fetch(`/api/demo/links/wait?providerId=${encodeURIComponent(provider.providerId)}`, { signal: controller.signal })
        if (waited.status === 204) continue
        if (!waited.ok) return setLink({ step: 'error', message: await errorMessage(waited) })
        const { connection } = (await waited.json()) as { connection: Connection }
        setLink({ step: 'connected', name: connection.name ?? connection.id })
        await mutate()
        return
      }
    } catch (error) {
      if (controller.signal.aborted) return
      setLink({ step: 'error', message: error instanceof Error ? error.message : String(error) })
    }
  }

  function close(): void {
    stop.current?.abort()
    setLink({ step: 'idle' })
  }

  return (
    <div className="pg-link" data-testid={`send-link-${provider.providerId}`}>
      {(link.step === 'idle' || link.step === 'error') && (
        <button type="button" className="pg-secondary" onClick={() => void send()} aria-label={`Send me a link to connect ${name}`}>
          Send me a link
        </button>
      )}
      {link.step === 'making' && <p role="status">Making a link…</p>}
      {link.step === 'waiting' && (
        <div className="pg-link-message">
          <p>
            The app’s server would post this in your chat (valid until {new Date(link.expiresAt).toLocaleString()}):
          </p>
          <p className="pg-link-url">
            <a href={link.url} target="_blank" rel="noopener noreferrer" data-testid="connect-link">
              {link.url}
              <span className="pg-visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
          <p role="status">
            Waiting for you to connect {name} from the link… Open it in any browser: no sign-in to this app is needed.
          </p>
          <button type="button" className="pg-secondary" onClick={close}>
            Stop waiting
          </button>
        </div>
      )}
      {link.step === 'connected' && (
        <p role="status">
          Connected {name} from the link ({link.name}).{' '}
          <button type="button" className="pg-secondary" onClick={close}>
            OK
          </button>
        </p>
      )}
      {link.step === 'error' && (
        <p className="pg-error" role="alert">
          Could not make a link: {link.message}
        </p>
      )}
    </div>
  )
}
