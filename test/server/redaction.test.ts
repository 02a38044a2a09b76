// @vitest-environment node
// Redaction: every secret the helper handles stays out of the developer log and out of the answers,
// even when the upstream echoes what it was sent, in any form.
import { describe, expect, it } from 'vitest'
import { ConnectServerError, redact } from '../../src/server/index.js'
import { API_KEY, makeServer } from './helpers.js'

const CLIENT_SECRET = 'acme-client-secret-XYZ987'
const ACCESS_TOKEN = 'xoxp-imported-access-4242'
const REFRESH_TOKEN = 'xoxe-refresh-token-7777'

function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value !== 'object' || value === null) return [[prefix, String(value)]]
  return Object.entries(value).flatMap(([key, item]) => flatten(item, key))
}

/** An upstream that refuses everything and quotes the request back: JSON, escaped JSON, form, URL-encoded, and the key upper-cased. */
const echoingUpstream = (async (_input: RequestInfo | URL, init?: RequestInit) => {
  const body = typeof init?.body === 'string' ? init.body : ''
  const parsed: unknown = body ? JSON.parse(body) : {}
  const auth = new Headers(init?.headers).get('authorization') ?? ''
  const form = flatten(parsed).map(([key, value]) => `${key}=${value}`).join('&')
  const message = [
    `invalid body ${body}`,
    `as a string: ${JSON.stringify(body)}`,
    `form: ${form}`,
    `link: https://app.example/cb?next=${encodeURIComponent(`https://metorial.test/consent?${form}`)}`,
    `caller: ${auth.toUpperCase()} / ${auth}`,
  ].join(' | ')
  return new Response(JSON.stringify({ object: 'error', status: 400, code: 'invalid_data', message, hint: message, errors: [{ message }] }), {
    status: 400,
    headers: { 'content-type': 'application/json' },
  })
}) as typeof fetch

const SECRETS = [API_KEY, API_KEY.toUpperCase(), API_KEY.slice('metorial_sk_'.length), CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN]

describe('no secret reaches the log, whatever the upstream echoes', () => {
  it('BYO credentials, imports (tokens) and sessions, against an echoing upstream', async () => {
    const { server, call, logs } = makeServer({ fetch: echoingUpstream })
    await expect(server.createAuthCredentials({ providerId: 'slack', clientId: 'acme', clientSecret: CLIENT_SECRET })).rejects.toMatchObject({ status: 400 })
    await expect(server.importConnection('alice', { providerId: 'slack', credentials: { access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN } })).rejects.toMatchObject({
      status: 400,
    })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', metadata: { note: 'x' } })).status).toBe(400)
    const logged = logs.all()
    expect(logged).toContain('invalid body')
    for (const secret of SECRETS) expect(logged).not.toContain(secret)
    expect(logged.toLowerCase()).not.toContain(API_KEY.toLowerCase())
  })

  it("errors the app's own hooks throw are redacted too", async () => {
    const { connect, logs } = makeServer({
      onConnected: () => {
        throw new Error(`hook failed with {"client_secret":"${CLIENT_SECRET}"} and Bearer ${ACCESS_TOKEN} for ${API_KEY.toUpperCase()}`)
      },
    })
    await connect('alice')
    expect(logs.error.join('\n')).toContain('onConnected threw')
    for (const secret of SECRETS) expect(logs.all()).not.toContain(secret)
  })
})

const BYO_SECRET = 'byo-client-secret-Qm7t2Lx9'

/** How Metorial's error text could quote a client secret back: labelled, as JSON, in a URL, and bare. */
const ECHOES = [
  `Provider auth credentials rejected; client_secret: ${BYO_SECRET} is not valid for this provider`,
  `check your config: {"client_id":"acme","client_secret":"${BYO_SECRET}"}`,
  `redirect failed: https://provider.example/oauth/token?client_id=acme&client_secret=${BYO_SECRET}&grant_type=code`,
  `client_secret = '${BYO_SECRET}'`,
]

/**
 * A Metorial that refuses every call with `status`, its message, hint, description and errors[] all
 * quoting the secret; with `bare`, one error also carries the value alone (as only a caller that
 * sent it can recognise).
 */
function refusingUpstream(status: number, bare = false) {
  return (async () =>
    new Response(
      JSON.stringify({
        object: 'error',
        status,
        code: status >= 500 ? 'internal_error' : 'invalid_data',
        message: ECHOES[0],
        hint: ECHOES[1],
        description: ECHOES[2],
        errors: [{ field: 'config.client_secret', message: ECHOES[3] }, ECHOES[0], ...(bare ? [{ field: 'config.client_secret', value: BYO_SECRET }] : [])],
      }),
      { status, headers: { 'content-type': 'application/json' } },
    )) as typeof fetch
}

const STATUSES = [400, 401, 404, 409, 422, 429, 500, 502, 503]

describe('upstream text that echoes a client secret', () => {
  it.each(STATUSES)('registering a BYO OAuth app answered %i: the secret reaches neither the log nor the error', async status => {
    const { server, logs } = makeServer({ fetch: refusingUpstream(status, true), maxRetries: 0 })
    const refused = await server.createAuthCredentials({ providerId: 'slack', clientId: 'acme', clientSecret: BYO_SECRET }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ConnectServerError)
    expect(JSON.stringify({ ...(refused as ConnectServerError), message: (refused as ConnectServerError).message })).not.toContain(BYO_SECRET)
    expect(logs.all()).toMatch(/react-provider-connect: /)
    expect(logs.all()).not.toContain(BYO_SECRET)
  })

  it.each(STATUSES)('the routes answered %i: the secret reaches neither the log nor the answers', async status => {
    const { call, logs } = makeServer({ fetch: refusingUpstream(status), maxRetries: 0 })
    const answers = [await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' }), await call('alice', 'GET', '/setup-sessions/pss_1'), await call('alice', 'GET', '/providers')]
    for (const answer of answers) expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(JSON.stringify(answers.map(answer => [answer.json, [...answer.headers]]))).not.toContain(BYO_SECRET)
    expect(logs.all()).toMatch(/react-provider-connect: /)
    expect(logs.all()).not.toContain(BYO_SECRET)
  })

  it('the developer still reads what Metorial said, with the secret masked', async () => {
    const { server, logs } = makeServer({ fetch: refusingUpstream(400) })
    await expect(server.createAuthCredentials({ providerId: 'slack', clientId: 'acme', clientSecret: BYO_SECRET })).rejects.toMatchObject({ status: 400 })
    expect(logs.error.join('\n')).toContain('Provider auth credentials rejected; client_secret: [redacted] is not valid')
    expect(logs.all()).not.toContain(BYO_SECRET)
  })

  it('thrown errors that quote the secret are masked too', async () => {
    const { server, call, logs } = makeServer({
      fetch: (async () => {
        throw new Error(`socket hang up while sending client_secret: ${BYO_SECRET}`)
      }) as typeof fetch,
      getUserId: request => {
        if (request.headers.get('x-user') === 'mallory') throw new Error(`session lookup failed; client_secret: ${BYO_SECRET}`)
        return request.headers.get('x-user')
      },
      onConnected: () => {
        throw new Error(`hook failed; client_secret: ${BYO_SECRET}`)
      },
    })
    await expect(server.createAuthCredentials({ providerId: 'slack', clientId: 'acme', clientSecret: BYO_SECRET })).rejects.toMatchObject({ status: 502 })
    const refused = await call('mallory', 'GET', '/connections')
    expect(refused.status).toBe(500)
    expect(JSON.stringify(refused.json)).not.toContain(BYO_SECRET)
    expect(logs.error.join('\n')).toContain('unexpected error')
    expect(logs.all()).not.toContain(BYO_SECRET)
  })
})

describe('redact', () => {
  it.each([
    ['the key in upper case', `key ${API_KEY.toUpperCase()}`, API_KEY.toUpperCase()],
    ['a key of another case pattern', 'METORIAL_SK_LIVE_abc123', 'LIVE_abc123'],
    ['JSON client_secret', `{"config":{"client_id":"a","client_secret":"${CLIENT_SECRET}"}}`, CLIENT_SECRET],
    ['camelCase clientSecret', `{"clientSecret": "${CLIENT_SECRET}"}`, CLIENT_SECRET],
    ['escaped JSON', JSON.stringify(JSON.stringify({ client_secret: CLIENT_SECRET })), CLIENT_SECRET],
    ['form client_secret', `client_id=a&client_secret=${CLIENT_SECRET}&scope=x`, CLIENT_SECRET],
    ['percent-encoded in a URL', `https://a/cb?next=${encodeURIComponent(`https://b/?client_secret=${CLIENT_SECRET}&x=1`)}`, CLIENT_SECRET],
    ['bearer in any case', `authorization: bearer ${ACCESS_TOKEN}`, ACCESS_TOKEN],
    ['exported access token (JSON)', `{"value":{"access_token":"${ACCESS_TOKEN}","refresh_token":"${REFRESH_TOKEN}"}}`, REFRESH_TOKEN],
    ['exported access token (form)', `access_token=${ACCESS_TOKEN}&token_type=bearer`, ACCESS_TOKEN],
    ['a consent link secret', 'https://metorial.test/consent/pas_1?client_secret=pas_secret_abc', 'pas_secret_abc'],
    ['a labelled client_secret', `credentials rejected; client_secret: ${CLIENT_SECRET} is not valid`, CLIENT_SECRET],
    ['a labelled secret in quotes', `client_secret = '${CLIENT_SECRET}'`, CLIENT_SECRET],
    ['a labelled token in YAML style', `refresh_token:\t"${REFRESH_TOKEN}"`, REFRESH_TOKEN],
  ])('%s', (_name, text, secret) => {
    const out = redact(text, [API_KEY])
    expect(out).not.toContain(secret)
    expect(out).toContain('[redacted]')
  })

  it('keeps the rest of the text readable', () => {
    expect(redact('{"client_id":"a","client_secret":"s3cr3t-value","scope":"x"}')).toBe('{"client_id":"a","client_secret":"[redacted]","scope":"x"}')
    expect(redact('provider slack failed: token expired')).toBe('provider slack failed: token expired')
  })

  it('removes the given key, any metorial_sk_ key, Bearer tokens and client_secret values', () => {
    const text = [
      'key custom-secret-value-1234',
      'other metorial_sk_live_AbC123',
      'Authorization: Bearer tok.en-123',
      'url https://metorial.com/consent/pas_1?client_secret=pas_secret_xyz&x=1#frag',
      'json {"url":"https://a/b?client_secret=pas_secret_q"}',
    ].join('\n')
    const out = redact(text, ['custom-secret-value-1234'])
    for (const secret of ['custom-secret-value-1234', 'metorial_sk_live_AbC123', 'tok.en-123', 'pas_secret_xyz', 'pas_secret_q']) {
      expect(out).not.toContain(secret)
    }
    expect(out).toContain('client_secret=[redacted]&x=1#frag')
    expect(out).toContain('https://metorial.com/consent/pas_1?')
  })

  it('leaves ordinary text alone, even with a very short "secret"', () => {
    expect(redact('provider slack failed', ['a'])).toBe('provider slack failed')
  })
})
