// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { redact } from '../../src/server/index.js'

describe('redact', () => {
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
