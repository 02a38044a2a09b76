/**
 * The simulation's stand-in for Metorial's dashboard: one server-rendered page listing the
 * instance's auth configs, with Archive and Delete as plain forms (no script), so a person (or a
 * browser test) can revoke an account behind the app's back, as an admin would in Metorial.
 */
import { escapeHtml, layout } from './consent-page.js'
import { iso, type AuthConfigRecord } from './wire-objects.js'

/** What archiving or deleting came to: done, no such auth config (or already deleted), or refused because it is linked to an identity credential. */
export type RevokeOutcome = 'done' | 'not_found' | 'linked'

export interface DashboardDeps {
  basePath: string
  /** The origin browsers reach the simulation at (its public base URL), besides the request's own. */
  publicOrigin: (request: Request) => string
  /** Every auth config, in creation order. */
  authConfigs: () => Iterable<AuthConfigRecord>
  providerName: (providerId: string) => string
  revoke: (id: string, status: 'archived' | 'deleted') => RevokeOutcome
  html: (status: number, html: string, headers?: Record<string, string>) => Response
}

const ACTIONS = { archive: 'archived', delete: 'deleted' } as const

function metadataText(metadata: Record<string, unknown>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ')
    .slice(0, 120)
}

function when(ms: number): string {
  const at = iso(ms)
  return `<time datetime="${at}">${at.slice(0, 16).replace('T', ' ')} UTC</time>`
}

export function createDashboard(deps: DashboardDeps) {
  const path = `${deps.basePath}/dashboard`

  function find(id: string): AuthConfigRecord | undefined {
    for (const config of deps.authConfigs()) if (config.id === id) return config
    return undefined
  }

  /**
   * A page elsewhere must not archive the user's accounts by posting this form (the page sends no
   * `Origin` to go by: its referrer policy makes it `null`), so a browser's `Sec-Fetch-Site` decides;
   * a client without it (a test, curl) is let through, as is an `Origin` of the simulation itself.
   */
  function fromTheDashboard(request: Request): boolean {
    const site = request.headers.get('sec-fetch-site')
    if (site !== null && site !== 'same-origin' && site !== 'none') return false
    const origin = request.headers.get('origin')
    if (origin === null || origin === 'null') return true
    return origin === new URL(request.url).origin || origin === deps.publicOrigin(request)
  }

  function notice(url: URL): string {
    const done = url.searchParams.get('done')
    const config = find(url.searchParams.get('id') ?? '')
    if (!config || (done !== 'archived' && done !== 'deleted') || config.status !== done) return ''
    const name = `${escapeHtml(config.name)} (<code>${escapeHtml(config.id)}</code>)`
    const what =
      done === 'archived'
        ? `Archived ${name}: still readable by id, listed with status archived.`
        : `Deleted ${name}: no list shows it any more and reading it answers 404.`
    return `<p class="done" role="status">${what}</p>\n`
  }

  function row(config: AuthConfigRecord): string {
    const id = escapeHtml(config.id)
    const name = escapeHtml(config.name)
    const active = config.status === 'active'
    const archive = active
      ? `<button type="submit" name="action" value="archive" aria-label="Archive ${name} (${id})">Archive</button>\n`
      : ''
    return `<tr data-auth-config-id="${id}" data-status="${config.status}">
<th scope="row"><code>${id}</code></th>
<td>${escapeHtml(deps.providerName(config.providerId))}</td>
<td>${name}</td>
<td><span class="status-${config.status}">${config.status}</span>${config.linked ? ' (linked to an identity credential)' : ''}</td>
<td>${when(config.createdAt)}</td>
<td><code class="metadata">${escapeHtml(metadataText(config.metadata)).replace(/=/g, '=<wbr>')}</code></td>
<td><form method="post" action="${escapeHtml(path)}"><input type="hidden" name="auth_config_id" value="${id}">
<div class="actions">
${archive}<button type="submit" name="action" value="delete" aria-label="Delete ${name} (${id})">Delete</button>
</div></form></td>
</tr>`
  }

  function page(url: URL): string {
    // Newest first: the account a person just connected is at the top. Deleted ones are gone, as in Metorial.
    const shown = [...deps.authConfigs()].filter(config => config.status !== 'deleted').reverse()
    // Wider than a phone: the table scrolls in a region a keyboard can reach.
    const table = shown.length
      ? `<div class="table-scroll" role="region" aria-label="Auth configs" tabindex="0"><table>
<caption>${shown.length} auth ${shown.length === 1 ? 'config' : 'configs'}, newest first</caption>
<thead><tr><th scope="col">Auth config</th><th scope="col">Provider</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Metadata</th><th scope="col">Actions</th></tr></thead>
<tbody>
${shown.map(row).join('\n')}
</tbody>
</table></div>`
      : '<p>No auth configs yet. Connect an account from the app and it shows here.</p>'
    return layout(
      'Auth configs — Metorial dashboard (simulated)',
      `<h1>Auth configs</h1>
<p>What Metorial’s dashboard does to an account, behind the app’s back: <strong>Archive</strong> revokes it (it stays readable, with status archived); <strong>Delete</strong> removes it (gone from every list, 404 by id). The app learns of it when it next checks.</p>
${notice(url)}${table}`,
      { wide: true },
    )
  }

  function back(status: number, title: string, message: string): Response {
    return deps.html(
      status,
      layout(title, `<h1>${escapeHtml(title)}</h1>\n<p role="status">${escapeHtml(message)}</p>\n<p><a href="${escapeHtml(path)}">Back to the auth configs</a></p>`),
    )
  }

  async function act(request: Request): Promise<Response> {
    if (!fromTheDashboard(request)) return back(403, 'Not allowed', 'Only the dashboard’s own page can archive or delete an auth config.')
    const form = await request.formData().catch(() => null)
    const id = form?.get('auth_config_id')
    const action = form?.get('action')
    if (typeof id !== 'string' || (action !== 'archive' && action !== 'delete')) {
      return back(400, 'Nothing done', 'The form was sent without an auth config or an action.')
    }
    const status = ACTIONS[action]
    const outcome = deps.revoke(id, status)
    if (outcome === 'not_found') return back(404, 'Auth config not found', `There is no auth config ${id} (a deleted one is gone).`)
    if (outcome === 'linked') return back(409, 'Not archived', `${id} is linked to an identity credential, and Metorial refuses to archive it.`)
    const location = `${path}?${new URLSearchParams({ done: status, id })}`
    return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } })
  }

  return {
    /** `GET {base}/dashboard` the page, `POST` an action; null for any other path. */
    route(request: Request, url: URL, segments: string[]): Promise<Response> | Response | null {
      if (segments.length !== 1 || segments[0] !== 'dashboard') return null
      if (request.method === 'GET') return deps.html(200, page(url))
      if (request.method === 'POST') return act(request)
      return deps.html(405, layout('Not allowed', '<h1>Not allowed</h1>\n<p>This page only answers GET and POST.</p>'), { allow: 'GET, POST' })
    },
  }
}
