// @vitest-environment node
// Issue 20, item 6: every secret the helper handles stays out of the developer log, even when the
// upstream echoes what it was sent, in any form.
import { describe, expect, it } from 'vitest'
import { redact } from '../../src/server/index.js'
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
  ])('%s', (_name, text, secret) => {
    const out = redact(text, [API_KEY])
    expect(out).not.toContain(secret)
    expect(out).toContain('[redacted]')
  })

  it('keeps the rest of the text readable', () => {
    expect(redact('{"client_id":"a","client_secret":"s3cr3t-value","scope":"x"}')).toBe('{"client_id":"a","client_secret":"[redacted]","scope":"x"}')
    expect(redact('provider slack failed: token expired')).toBe('provider slack failed: token expired')
  })
})
