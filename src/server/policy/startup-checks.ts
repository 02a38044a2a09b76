/** The options checked at startup, typed as a caller may really pass them (from JavaScript, a config file). */
export interface StartupOptions {
  apiKey?: unknown
  getUserId?: unknown
  api?: unknown
  rateLimit?: unknown
  maxMetadataBytes?: unknown
  maxMetadataKeys?: unknown
  store?: unknown
  allowedRedirectOrigins?: unknown
  syncIntervalMs?: unknown
}

const isProduction = () => typeof process !== 'undefined' && process.env?.NODE_ENV === 'production'

/** Refuses, at startup, options that would fail later or leave a production app open. */
export function checkOptions(options: StartupOptions): void {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('createConnectServer needs `apiKey`: your Metorial secret key (metorial_sk_…), e.g. from process.env.METORIAL_API_KEY.')
  }
  if (typeof options.getUserId !== 'function') {
    throw new TypeError('createConnectServer needs `getUserId(request)`: return the signed-in user id, or null for 401.')
  }
  if (options.api !== undefined && options.api !== 'setup-sessions' && options.api !== 'oauth-sessions') {
    throw new TypeError(`createConnectServer: \`api\` must be 'setup-sessions' or 'oauth-sessions', not ${JSON.stringify(options.api)}.`)
  }
  if (options.rateLimit !== undefined && options.rateLimit !== false && typeof options.rateLimit !== 'function') {
    throw new TypeError('createConnectServer: `rateLimit` must be false or a function (e.g. memoryRateLimit({ limit: 10 })).')
  }
  for (const name of ['maxMetadataBytes', 'maxMetadataKeys'] as const) {
    const value = options[name]
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) throw new TypeError(`createConnectServer: \`${name}\` must be a whole number of at least 0.`)
  }
  const interval = options.syncIntervalMs
  if (interval !== undefined && interval !== false && !(typeof interval === 'number' && Number.isFinite(interval) && interval >= 0)) {
    throw new TypeError('createConnectServer: `syncIntervalMs` must be a number of milliseconds (at least 0) or false.')
  }
  if (!isProduction()) return
  if (options.store === undefined) {
    throw new TypeError(
      'createConnectServer needs `store` in production: connections kept in memory vanish on restart and differ between servers. Pass sqlConnectionStore({ query }) or your own ConnectionStore.',
    )
  }
  if (options.allowedRedirectOrigins === undefined) {
    throw new TypeError(
      'createConnectServer needs `allowedRedirectOrigins` in production: the origins your app is served from, e.g. [process.env.APP_ORIGIN] with APP_ORIGIN=https://app.example.com. Without it the consent page could send users to whatever origin a request claims.',
    )
  }
}
