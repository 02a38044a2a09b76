const CLIENT_SECRET = /(client_secret=)[^&#\s"'<>]+/gi
const SECRET_KEY = /metorial_sk_[A-Za-z0-9_-]+/g
const BEARER = /(Bearer\s+)[^\s"',;]+/gi

/**
 * Removes secrets from text bound for a log line or an error message: the given secrets (the API
 * key), any `metorial_sk_…` key, `Bearer` tokens and the value of every `client_secret` query
 * parameter (the consent URL carries one).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) {
    // Short strings would shred ordinary words; real keys are long.
    if (secret.length >= 8) out = out.split(secret).join('[redacted]')
  }
  return out.replace(CLIENT_SECRET, '$1[redacted]').replace(SECRET_KEY, '[redacted]').replace(BEARER, '$1[redacted]')
}
