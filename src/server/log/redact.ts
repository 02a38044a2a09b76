/** Names under which the helper meets secrets: OAuth client secrets, tokens (exports, imports), keys. */
const SECRET_NAMES = 'client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|idToken|api_key|apiKey|password|secret|token'

/** `"name": "value"` in JSON, and the same inside a JSON string, at any depth of escaping (`\"name\": \"value\"`, `\\\"…`). */
const JSON_FIELD = new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)"`, 'gi')
const ESCAPED_JSON_FIELD = new RegExp(`((\\\\+)"(?:${SECRET_NAMES})\\2"\\s*:\\s*\\2")(.*?)\\2"`, 'gi')
/** `name=value` in a query or form body, also percent-encoded inside another URL (`name%3Dvalue`, up to `%26`). */
const FORM_FIELD = new RegExp(`((?:^|[?&#;\\s"'(,]|%26|%3F)(?:${SECRET_NAMES})(?:=|%3D))(?:(?!%26)[^&#\\s"'<>,;)])+`, 'gi')
/**
 * `name: value` and `name = value` as prose, YAML or a config dump writes them (`client_secret: abc…`,
 * `client_secret = 'abc'`): the value up to the next space or delimiter, or all of a quoted one.
 * A value already `[redacted]` by the patterns above is left as it is.
 */
const LABELLED_FIELD = new RegExp(`((?:^|[^A-Za-z0-9])(?:${SECRET_NAMES})["']?[ \\t]*[:=][ \\t]*)(?!["']?\\[redacted\\])("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s"'&,;)}\\]<>]+)`, 'gi')
const SECRET_KEY = /metorial_sk_[A-Za-z0-9_-]+/gi
/** The consent URL's secret (`pas_secret…`, legacy `soas_secret_…`), wherever it shows up. */
const SESSION_SECRET = /\b(?:pas|soas)_secret[A-Za-z0-9_-]*/gi
const AUTHORIZATION = /((?:Bearer|Basic)\s+)[^\s"',;]+/gi

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Removes secrets from text bound for a log line or an error message: the given secrets (the API
 * key, a client secret or tokens the server was handed) in any letter case, any `metorial_sk_…`
 * key, `Bearer`/`Basic` credentials, consent-link secrets, and the values of client secrets, tokens
 * and keys in JSON (plain or escaped), in query or form bodies (plain or percent-encoded) and
 * after a `name:` or `name =` label.
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
    .replace(LABELLED_FIELD, (_match, label: string, value: string) => {
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : ''
      return `${label}${quote}[redacted]${quote}`
    })
}
