import { act, render, renderHook, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createConnectClient } from '../../src/core/index.js'
import type { ConnectClient } from '../../src/core/index.js'
import { ConnectProvider, ConnectError, useConnections, useSetupSession } from '../../src/index.js'
import type { ConnectBackend, FlowEnvironment } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'

const popup = () => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })
/** No BroadcastChannel: tests in one file must not hear each other. Same-tab notifications still work. */
const environment: Partial<FlowEnvironment> = { openWindow: popup, openChannel: () => null }

/** A fresh SWR cache per test: SWR's default cache is global and would leak between tests. */
function wrapperFor(backend: ConnectBackend, client?: ConnectClient) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return (
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={backend} environment={environment} client={client}>
          {children}
        </ConnectProvider>
      </SWRConfig>
    )
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('useConnections', () => {
  it('given connections, loads them once however many components use the hook', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    function Names() {
      const { connections, isLoading } = useConnections()
      return <p>{isLoading ? 'loading' : connections?.map(item => item.name).join(',')}</p>
    }
    render(
      <>
        <Names />
        <Names />
        <Names />
      </>,
      { wrapper: wrapperFor(backend) },
    )
    expect(screen.getAllByText('loading')).toHaveLength(3)
    expect(await screen.findAllByText('Work')).toHaveLength(3)
    expect(backend.count('listConnections')).toBe(1)
  })

  it('given two ConnectProviders, never shares their caches', async () => {
    const first = createMockBackend({ connections: [{ providerId: 'slack', name: 'First' }] })
    const second = createMockBackend({ connections: [{ providerId: 'github', name: 'Second' }] })
    function Names({ testId }: { testId: string }) {
      const { connections } = useConnections()
      return <p data-testid={testId}>{connections?.map(item => item.name).join(',')}</p>
    }
    render(
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={first} environment={environment}>
          <Names testId="a" />
        </ConnectProvider>
        <ConnectProvider backend={second} environment={environment}>
          <Names testId="b" />
        </ConnectProvider>
      </SWRConfig>,
    )
    await vi.waitFor(() => expect(screen.getByTestId('a')).toHaveTextContent('First'))
    expect(screen.getByTestId('b')).toHaveTextContent('Second')
  })

  it('normalises snake_case and `{ items }` answers of custom backends', async () => {
    const backend = createMockBackend()
    backend.respondNext('listConnections', { items: [{ id: 'pac_9', provider_id: 'slack', created_at: '2025-01-02T00:00:00Z' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toEqual([expect.objectContaining({ id: 'pac_9', providerId: 'slack', createdAt: '2025-01-02T00:00:00Z' })]))
  })

  it('when loading fails, reports a ConnectError and recovers on mutate()', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    backend.failNext('listConnections', { status: 500, message: 'Boom' })
    const { result } = renderHook(() => useConnections({ swr: { shouldRetryOnError: false } }), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.error).toBeInstanceOf(ConnectError))
    expect(result.current.error?.message).toBe('Boom')
    expect(result.current.connections).toBeUndefined()
    await act(() => result.current.mutate())
    expect(result.current.connections).toHaveLength(1)
    expect(result.current.error).toBeUndefined()
  })

  it('when a connect completes, revalidates the connections', async () => {
    const backend = createMockBackend()
    function Page() {
      const flow = useSetupSession({ providerId: 'slack', pollInterval: 10 })
      const { connections } = useConnections()
      return (
        <>
          <button type="button" onClick={flow.start}>
            Connect
          </button>
          <p data-testid="count">{connections?.length ?? 'loading'}</p>
        </>
      )
    }
    render(<Page />, { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('0'))
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.complete()
    await vi.waitFor(() => expect(screen.getByTestId('count')).toHaveTextContent('1'))
    expect(backend.count('listConnections')).toBe(2)
  })

  it('when another part of the app says the connections changed, revalidates once for all components', async () => {
    const backend = createMockBackend()
    const client = createConnectClient({ environment })
    function Count() {
      const { connections } = useConnections()
      return <p>{connections ? `${connections.length} connections` : 'loading'}</p>
    }
    render(
      <>
        <Count />
        <Count />
      </>,
      { wrapper: wrapperFor(backend, client) },
    )
    expect(await screen.findAllByText('0 connections')).toHaveLength(2)
    backend.addConnection({ providerId: 'github' })
    act(() => client.notifyConnectionsChanged())
    expect(await screen.findAllByText('1 connections')).toHaveLength(2)
    expect(backend.count('listConnections')).toBe(2)
  })

  it('when disconnecting, removes the connection at once, then tells the app', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }, { id: 'pac_2', providerId: 'github' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(2))
    backend.setLatency(1000)
    let outcome: Promise<ConnectError | null> | undefined
    act(() => {
      outcome = result.current.disconnect('pac_1')
    })
    expect(result.current.connections?.map(item => item.id)).toEqual(['pac_2'])
    expect(backend.connections).toHaveLength(2)
    await act(() => vi.advanceTimersByTimeAsync(1000))
    expect(await outcome).toBeNull()
    expect(backend.connections.map(item => item.id)).toEqual(['pac_2'])
    backend.setLatency(0)
    // Revalidated after the disconnect: the notification asked the backend again.
    await vi.waitFor(() => expect(backend.count('listConnections')).toBe(2))
    expect(result.current.connections?.map(item => item.id)).toEqual(['pac_2'])
    expect(result.current.disconnectError).toBeNull()
  })

  it('when the backend refuses a disconnect, rolls back and exposes the error', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(1))
    backend.setLatency(1000)
    backend.failNext('removeConnection', { status: 403, message: 'Not yours.' })
    let outcome: Promise<ConnectError | null> | undefined
    act(() => {
      outcome = result.current.disconnect('pac_1')
    })
    expect(result.current.connections).toEqual([])
    await act(() => vi.advanceTimersByTimeAsync(1000))
    const error = await outcome
    expect(error).toBeInstanceOf(ConnectError)
    expect(error?.status).toBe(403)
    expect(result.current.connections?.map(item => item.id)).toEqual(['pac_1'])
    expect(result.current.disconnectError).toEqual({ authConfigId: 'pac_1', error })
  })

  it('when the connection was already removed elsewhere (404), treats the disconnect as done', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(1))
    await act(() => backend.removeConnection('pac_1', { signal: new AbortController().signal }))
    let outcome: ConnectError | null | undefined
    await act(async () => {
      outcome = await result.current.disconnect('pac_1')
    })
    expect(outcome).toBeNull()
    expect(result.current.disconnectError).toBeNull()
    expect(result.current.connections).toEqual([])
  })

  it('rename answers the renamed connection, puts it in the cache at once, then reloads the list', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Old' }, { id: 'pac_2', providerId: 'github', name: 'Other' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(2))
    const lists = backend.count('listConnections')
    backend.setLatency(1000)
    let renamed: Promise<unknown> = Promise.resolve()
    act(() => {
      renamed = result.current.rename('pac_1', '  Team workspace ')
    })
    await act(() => vi.advanceTimersByTimeAsync(1000))
    await expect(renamed).resolves.toMatchObject({ id: 'pac_1', providerId: 'slack', name: 'Team workspace', status: 'active' })
    expect(backend.calls.find(call => call.operation === 'renameConnection')?.argument).toEqual({ authConfigId: 'pac_1', name: '  Team workspace ' })
    // In the cache before the reload answers.
    expect(result.current.connections?.map(item => item.name)).toEqual(['Team workspace', 'Other'])
    await vi.waitFor(() => expect(backend.count('listConnections')).toBe(lists + 1))
    await act(() => vi.advanceTimersByTimeAsync(1000))
    expect(result.current.connections?.map(item => item.name)).toEqual(['Team workspace', 'Other'])
  })

  it('rename rejects with the server\'s ConnectError and leaves the cache as it was', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Old' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(1))
    let refusal: unknown
    await act(async () => {
      refusal = await result.current.rename('pac_1', 'x'.repeat(101)).catch((error: unknown) => error)
    })
    expect(refusal).toBeInstanceOf(ConnectError)
    expect(refusal).toMatchObject({ code: 'http', status: 400, backendCode: 'invalid_name' })
    await act(async () => {
      refusal = await result.current.rename('pac_404', 'Fine').catch((error: unknown) => error)
    })
    expect(refusal).toMatchObject({ code: 'http', status: 404, backendCode: 'connection_not_found' })
    backend.failNext('renameConnection', 'network')
    await act(async () => {
      refusal = await result.current.rename('pac_1', 'Fine').catch((error: unknown) => error)
    })
    expect(refusal).toMatchObject({ code: 'network' })
    expect(result.current.connections?.map(item => item.name)).toEqual(['Old'])
    expect(backend.connections.map(item => item.name)).toEqual(['Old'])
  })

  it('rename with a backend that cannot rename rejects with a ConnectError that says so', async () => {
    const { renameConnection: _, ...backend } = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { result } = renderHook(() => useConnections(), { wrapper: wrapperFor(backend) })
    await vi.waitFor(() => expect(result.current.connections).toHaveLength(1))
    const refusal: unknown = await result.current.rename('pac_1', 'New').catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(ConnectError)
    expect(refusal).toMatchObject({ code: 'invalid_options', message: expect.stringContaining('renameConnection') })
  })

  it('outside a ConnectProvider and without a backend, says what is missing', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => renderHook(() => useConnections())).toThrow(/must be used within <ConnectProvider/)
  })
})
