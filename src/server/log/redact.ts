/** Names under which the helper meets secrets: OAuth client secrets, tokens (exports, imports), keys. */
const SECRET_NAMES = 'client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|idToken|api_key|apiKey|password|secret|token'

/** `"name": "value"` in JSON, and the same inside a JSON string, at any depth of escaping (`\"name\": \"value\"`, `\\\"…`). */
const JSON_FIELD = new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)"`, 'gi')
const ESCAPED_JSON_FIELD = new RegExp(`((\\\\+)"(?:${SECRET_NAMES})\\2"\\s*:\\s*\\2")(.*?)\\2"`, 'gi')
/** `name=value` in a query or form body, also percent-encoded inside another URL (`name%3Dvalue`, up to `%26`). */
const FORM_FIELD = new RegExp(`((?:^|[?&#;\\s"'(,]|%26|%3F)(?:${SECRET_NAMES})(?:=|%3D))(?:(?!%26)[^&#\\s"'<>,;)])+`, 'gi')
const SECRET_KEY = /metorial_sk_[A-Za-z0-9_-]+/gi
/** The consent URL's secret (`pas_secret…`, legacy `soas_secret_…`), wherever it shows up. */
const SESSION_SECRET = /\b(?:pas|soas)_secret[A-Za-z0-9_-]*/gi
const AUTHORIZATION = /((?:Bearer|Basic)\s+)[^\s"',;]+/gi

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Removes secrets from text bound for a log line or an error message: the given secrets (the API
 * key) in any letter case, any `metorial_sk_…` key, `Bearer`/`Basic` credentials, consent-link
 * secrets, and the values of client secrets, tokens and keys in JSON (plain or escaped) and in
 * query or form bodies (plain or percent-encoded).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) {
    // Short strings would shred ordinary words; real keys are long.
    if (secret.length >= 8) out = out.replace(new RegExp(escapeRegExp(secret), 'gi'), '[redacted]')
  }
  return out
    .replace(SECRET_KEY, '[redacted]')
    .replace(SESSION_SECRET, '[redacted]')
    .replace(AUTHORIZATION, '$1[redacted]')
    .replace(JSON_FIELD, '$1[redacted]"')
    .replace(ESCAPED_JSON_FIELD, '$1[redacted]$2"')
    .replace(FORM_FIELD, '$1[redacted]')
}
