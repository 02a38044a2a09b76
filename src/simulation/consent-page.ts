export interface ProviderInfo {
  /** Shown on the consent page. */
  name: string
  /** A short icon: an emoji or a letter. Defaults to the name's first letter. */
  icon?: string
  /**
   * `false` makes an OAuth create fail with `missing_auth_credentials`, like a provider without a
   * default OAuth app, unless the create names `provider_auth_credentials_id` (BYO OAuth). Defaults to `true`.
   */
  oauthCredentials?: boolean
  /**
   * How users authenticate. Auth configs of `'token'` / `'api_key'` providers are ephemeral, as in
   * Metorial: readable by id, never listed. Defaults to `'oauth'`.
   */
  authMethod?: 'oauth' | 'token' | 'api_key'
  /**
   * Whether the provider has a configuration schema: a session of type `auto` then becomes
   * `auth_and_config` and stays pending after Allow, as in Metorial. Defaults to `false`.
   */
  configSchema?: boolean
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`)
}

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7; color: #1c1e21; }
  main { width: min(26rem, calc(100vw - 2rem)); background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 1px 3px rgb(0 0 0 / 0.12), 0 8px 24px rgb(0 0 0 / 0.06); }
  .icon { width: 3rem; height: 3rem; border-radius: 10px; display: grid; place-items: center; font-size: 1.5rem;
          background: #eef0ff; margin-bottom: 1rem; }
  h1 { font-size: 1.25rem; margin: 0 0 0.5rem; }
  p { line-height: 1.5; margin: 0 0 1rem; color: #44474d; }
  .actions { display: flex; gap: 0.75rem; margin: 1.5rem 0 1rem; }
  button { font: inherit; font-weight: 600; padding: 0.6rem 1.2rem; border-radius: 8px; cursor: pointer; border: 1px solid #c5c8ce; background: #fff; color: #1c1e21; }
  button[value="allow"] { background: #3451d1; border-color: #3451d1; color: #fff; }
  button:focus-visible { outline: 3px solid #8ea0ff; outline-offset: 2px; }
  .note { font-size: 0.875rem; color: #5d6168; }
  .badge { display: inline-block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: #5d6168; margin-bottom: 0.75rem; }
  main.wide { box-sizing: border-box; width: min(64rem, calc(100vw - 2rem)); margin: 2rem 0; }
  a { color: #3451d1; }
  .table-scroll { overflow-x: auto; }
  .table-scroll:focus-visible { outline: 3px solid #8ea0ff; outline-offset: 2px; }
  table { width: 100%; min-width: 44rem; border-collapse: collapse; font-size: 0.875rem; }
  caption { text-align: left; color: #5d6168; padding-bottom: 0.75rem; }
  th, td { text-align: left; vertical-align: top; padding: 0.6rem 0.5rem; border-top: 1px solid #e2e4e8; }
  thead th { border-top: 0; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: #5d6168; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.8125rem; word-break: break-all; }
  code.metadata { word-break: normal; }
  td .actions { margin: 0; gap: 0.5rem; }
  td button { padding: 0.35rem 0.8rem; font-size: 0.8125rem; }
  button[value="delete"] { color: #b3261e; border-color: #e3a19b; }
  .status-archived { color: #8a4b00; font-weight: 600; }
  .done { background: #eef0ff; border-radius: 8px; padding: 0.6rem 0.9rem; color: #1c1e21; }
  @media (prefers-color-scheme: dark) {
    body { background: #15171a; color: #e8e9eb; } main { background: #1f2226; } p { color: #c0c3c8; } .note, .badge { color: #9a9ea5; }
    button { background: #2a2e33; color: #e8e9eb; border-color: #454a51; } .icon { background: #2b3050; }
    a { color: #8ea0ff; } caption, thead th { color: #9a9ea5; } th, td { border-color: #33373d; }
    button[value="delete"] { color: #ffb4ab; border-color: #8c3a33; } .status-archived { color: #ffb870; } .done { background: #2b3050; color: #e8e9eb; }
  }
`

/** The simulation's page frame (the consent page's look); `wide` for a table such as the dashboard's. */
export function layout(title: string, body: string, options: { wide?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main${options.wide ? ' class="wide"' : ''}>
<span class="badge">Metorial simulation</span>
${body}
</main>
</body>
</html>`
}

/** `appName`: the OAuth app asking (a BYO app's name); null for the default app. */
export function consentPage(options: { provider: ProviderInfo; action: string; clientSecret: string; expiresAt: string; appName?: string | null }): string {
  const name = escapeHtml(options.provider.name)
  const asking = options.appName ? `<strong class="app">${escapeHtml(options.appName)}</strong>` : 'An app'
  return layout(
    `Connect ${options.provider.name}`,
    `<div class="icon" aria-hidden="true">${escapeHtml(options.provider.icon ?? options.provider.name.slice(0, 1))}</div>
<h1>Connect your ${name} account</h1>
<p>${asking} is asking for access to your ${name} account. Allow it to finish connecting, or deny to cancel.</p>
<p class="note">OAuth app: ${options.appName ? `${escapeHtml(options.appName)} (its own)` : 'the default app'}</p>
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="client_secret" value="${escapeHtml(options.clientSecret)}">
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">If you do nothing, this request expires at <time datetime="${escapeHtml(options.expiresAt)}">${escapeHtml(new Date(options.expiresAt).toUTCString())}</time>.</p>`,
  )
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p role="status">${escapeHtml(message)}</p>`)
}
