import { createMetorialSimulation, type MetorialSimulation, type SimulationOptions } from './metorial-simulation.js'

export interface StartSimulationOptions extends Omit<SimulationOptions, 'publicBaseUrl' | 'basePath'> {
  /** The port to listen on; `0` picks a free one. Defaults to `4010`. */
  port?: number
  /** The interface to listen on. Defaults to `'127.0.0.1'`. */
  host?: string
}

export interface RunningSimulation {
  simulation: MetorialSimulation
  /** Where it listens, e.g. `'http://127.0.0.1:4010'`: its REST API and its consent pages. */
  url: string
  /** Spread into `createConnectServer({ ...connectOptions, getUserId, store })`. */
  connectOptions: { apiKey: string; baseUrl: string }
  close(): Promise<void>
}

const RUNNING = Symbol.for('react-provider-connect/simulation/running')
type Registry = Map<string, Promise<RunningSimulation>>

/**
 * Starts a Metorial stand-in on a local port, so the server helper runs without a key:
 * `createConnectServer({ ...(await startMetorialSimulation()).connectOptions, getUserId, store })`.
 * Calling it again in the same process with the same port returns the running one, so a dev
 * server's hot reload does not try to listen twice.
 */
export function startMetorialSimulation(options: StartSimulationOptions = {}): Promise<RunningSimulation> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 4010
  const registry = ((globalThis as { [RUNNING]?: Registry })[RUNNING] ??= new Map())
  const key = `${host}:${port}`
  const existing = port === 0 ? undefined : registry.get(key)
  if (existing) return existing
  const started = listen(options, host, port)
  if (port !== 0) {
    registry.set(key, started)
    started.catch(() => registry.delete(key))
  }
  return started
}

async function listen(options: StartSimulationOptions, host: string, port: number): Promise<RunningSimulation> {
  // Loaded here so the entry itself imports in any server runtime, node:http or not.
  const [{ createServer }, { toNodeHandler }] = await Promise.all([import('node:http'), import('../server/http/node-adapter.js')])
  let url = ''
  const simulation = createMetorialSimulation({ ...options, publicBaseUrl: () => url })
  const server = createServer(toNodeHandler(simulation.handle, { maxBodyBytes: 1024 * 1024 }))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  // A stand-in never keeps the app's process alive: on SIGTERM or Ctrl-C the app's server closes and
  // Node exits, as it would without the simulation (react-router-serve, next start wait for that).
  server.unref()
  server.on('connection', socket => socket.unref())
  const address = server.address()
  const boundPort = typeof address === 'object' && address !== null ? address.port : port
  url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`
  return {
    simulation,
    url,
    connectOptions: { apiKey: simulation.apiKey, baseUrl: url },
    close: () =>
      new Promise<void>(resolve => {
        ;(globalThis as { [RUNNING]?: Registry })[RUNNING]?.delete(`${host}:${port}`)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
