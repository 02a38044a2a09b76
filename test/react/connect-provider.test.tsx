import { render, screen, waitFor } from '@testing-library/react'
import { SWRConfig } from 'swr'
import { describe, expect, it, vi } from 'vitest'
import { ConnectProvider, useConnections } from '../../src/index.js'

function Names() {
  const { connections, mutate } = useConnections()
  return (
    <>
      <p>{connections?.map(item => item.name).join(', ') ?? 'loading'}</p>
      <button type="button" onClick={() => void mutate()}>
        Reload
      </button>
    </>
  )
}

function json(body: unknown) {
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
}

describe('ConnectProvider', () => {
  it('keeps one backend (and one cache) when its parent re-renders with an inline fetch and headers', async () => {
    const calls: string[] = []
    const app = (token: string) => (
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <ConnectProvider
          endpoint="/api/connect"
          headers={{ 'x-csrf-token': token }}
          fetch={async (input, init) => {
            calls.push(`${String(input)} ${new Headers(init?.headers).get('x-csrf-token')}`)
            return json({ items: [{ id: 'pac_1', providerId: 'github', name: 'octocat' }] })
          }}
        >
          <Names />
        </ConnectProvider>
      </SWRConfig>
    )
    const view = render(app('t1'))
    await screen.findByText('octocat')
    view.rerender(app('t2'))
    view.rerender(app('t3'))
    expect(screen.getByText('octocat')).toBeInTheDocument()
    expect(calls).toEqual(['/api/connect/connections t1'])

    screen.getByRole('button', { name: 'Reload' }).click()
    await waitFor(() => expect(calls).toHaveLength(2))
    expect(calls[1]).toBe('/api/connect/connections t3')
  })

  it('says what it needs when given neither endpoint nor backend', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<ConnectProvider />)).toThrow(/endpoint/)
  })
})
