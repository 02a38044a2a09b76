// Completion latency in a real Chromium: from the callback page starting to load (its first script)
// until the app's `onConnected` line appears, on the playground, "with the fast path" (the real
// callback page signals the opener) and "polling only" (a stand-in callback page that signals
// nothing, so the app hears of the completion from its own status polling).
//
//   npx tsx bench/latency.ts        (also a step of `npm run bench`)
//
// Writes bench/results/.latency.json and prints one line per mode. Exits non-zero when any run
// fails (e.g. never connects within 30 s); the browser and the playground are closed either way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startPlayground } from '../playground/start.js'
import type { Playground } from '../playground/start.js'
import { launchChromium } from '../e2e/support/browser.js'
import { eventLog, installMarks, row, uniqueUser, waitForConsent, warmUp } from '../e2e/support/playground.js'
import type { Mark } from '../e2e/support/playground.js'
import { median, quantile } from './stats.js'

const RUNS = 20
/** A run fails when `onConnected` has not shown up this long after Allow. */
const CONNECT_TIMEOUT_MS = 30_000
const STEP_TIMEOUT_MS = 15_000
const OUTPUT = 'bench/results/.latency.json'
const PROVIDER = 'slack'
/** What "polling only" serves at /callback.html: no script of the library, so no signal to the opener. */
const SILENT_CALLBACK = '<!doctype html><title>Callback</title><script>/* mark */</script><p>Finishing up</p>'

type Mode = 'fastPath' | 'pollingOnly'
const MODES: readonly Mode[] = ['fastPath', 'pollingOnly']
const LABELS: Record<Mode, string> = { fastPath: 'with the fast path', pollingOnly: 'polling only' }

export interface LatencyStats {
  medianMs: number
  p95Ms: number
  minMs: number
  maxMs: number
  samples: number[]
}

export interface LatencyResults {
  runs: number
  fastPath: LatencyStats
  pollingOnly: LatencyStats
}

/** Median, p95 (bench/stats.ts, as every table), min and max; samples in run order. */
export function summarize(samples: readonly number[]): LatencyStats {
  if (samples.length === 0) throw new Error('no samples')
  const tenth = (ms: number) => Math.round(ms * 10) / 10
  return { medianMs: tenth(median(samples)), p95Ms: tenth(quantile(samples, 0.95)), minMs: Math.min(...samples), maxMs: Math.max(...samples), samples: [...samples] }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Waits until `find` returns something, polling every 10 ms, or throws `failure` after `ms`. */
async function until<T>(find: () => T | undefined, ms: number, failure: string): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(failure)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

async function openApp(context: BrowserContext, baseUrl: string, user: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/?user=${encodeURIComponent(user)}`)
  await page.locator('[data-testid="current-user"]', { hasText: user }).waitFor({ timeout: STEP_TIMEOUT_MS })
  await page.locator('.rpc-connections[data-state="ready"]').waitFor({ timeout: STEP_TIMEOUT_MS })
  return page
}

/**
 * tsx compiles with esbuild's `keepNames`, which wraps named functions in `__name(…)`; Playwright
 * sends installMarks' init script to the page as source text, where no `__name` exists. This
 * stand-in (added first, so it runs first) lets that script run in pages.
 */
async function installNameHelper(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: 'globalThis.__name ??= (target) => target' })
}

/**
 * "Polling only": /callback.html becomes a page without the library's script, which tells the app
 * nothing. The consent page reaches it through a 303 after its Allow form, and Playwright does not
 * route the target of a redirect (nor of a fulfilled 303), only the first request; so the Allow
 * POST is sent from here and answered with a page that moves on to the 303's target, a navigation
 * of its own, which is routed. That hop comes before the callback page, outside the measured time.
 * installMarks' init script still runs on the stand-in (its path is /callback.html): callback-start
 * is recorded.
 */
async function silenceCallbackPage(context: BrowserContext): Promise<void> {
  await context.route(
    url => url.pathname.startsWith('/metorial/consent/'),
    async route => {
      if (route.request().method() !== 'POST') return route.continue()
      const response = await route.fetch({ maxRedirects: 0 })
      const location = response.headers()['location']
      if (response.status() !== 303 || !location || new URL(location, route.request().url()).pathname !== '/callback.html') {
        return route.fulfill({ response })
      }
      await route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><script>location.replace(${JSON.stringify(location)})</script>` })
    },
  )
  // A URL predicate: the glob '**/callback.html' does not match the callback's `?connect_state=…`.
  await context.route(
    url => url.pathname === '/callback.html',
    route => route.fulfill({ contentType: 'text/html', body: SILENT_CALLBACK }),
  )
}

interface Run {
  /** callback-start → connected-log, in ms (0.1 ms steps). */
  ms: number
  /** The app heard the callback page before any poll saw the session completed (fast path mode only). */
  fastPathFirst: boolean
}

/** One connect of a fresh user's Slack row, from its Integrations page to onConnected. */
async function measureOnce(browser: Browser, baseUrl: string, mode: Mode, label: string): Promise<Run> {
  const context = await browser.newContext()
  try {
    await installNameHelper(context)
    const marks: Mark[] = await installMarks(context)
    if (mode === 'pollingOnly') await silenceCallbackPage(context)
    const user = uniqueUser(`latency-${mode}`)
    const page = await openApp(context, baseUrl, user)
    const slack = row(page, PROVIDER)
    const status = ((await slack.locator('.rpc-row-status').textContent()) ?? '').trim()
    if (status !== 'Not connected') throw new Error(`${label}: the row starts as "${status}", not "Not connected"`)

    const opened = page.waitForEvent('popup', { timeout: STEP_TIMEOUT_MS })
    await slack.getByRole('button', { name: /^Connect Slack/ }).click()
    const popup = await opened
    await waitForConsent(popup)

    // Never closed by us: with the fast path the callback page closes it, polling only leaves it open.
    const allowedAt = Date.now()
    await popup
      .getByRole('button', { name: 'Allow' })
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((error: unknown) => {
        if (!popup.isClosed()) throw error
      })
    const connected = await until(
      () => marks.find(mark => mark.name === 'connected-log'),
      Math.max(0, CONNECT_TIMEOUT_MS - (Date.now() - allowedAt)),
      `${label}: no onConnected within ${CONNECT_TIMEOUT_MS / 1000} s of Allow`,
    )
    const start = await until(() => marks.find(mark => mark.name === 'callback-start'), 2000, `${label}: no callback-start mark from the callback page`)

    // The run measured what it says it measured.
    const line = connected.detail ?? ''
    if (!new RegExp(`^onConnected\\(pac_[A-Za-z0-9]+\\) ${PROVIDER}$`).test(line)) throw new Error(`${label}: unexpected onConnected line "${line}"`)
    if (start.path !== '/callback.html') throw new Error(`${label}: callback-start came from ${start.path}`)
    if (marks.filter(mark => mark.name === 'callback-start').length !== 1) throw new Error(`${label}: the callback page loaded more than once`)
    await slack.and(page.locator('[data-state="connected"]')).waitFor({ timeout: STEP_TIMEOUT_MS })
    const events = await eventLog(page)
    const heardCallback = events.some(entry => entry.startsWith(`${PROVIDER}: callback_message`))
    const messageTo = (at: number | undefined) => marks.find(mark => mark.name === 'message' && mark.path === '/' && (at === undefined || mark.at <= at))
    // With the fast path, a status poll that lands while the callback page is still loading may see
    // the session completed first; the flow then ignores the page's message (no callback_message
    // event) or closes the popup before the page sends it. That is the real race, so it counts.
    const fastPathFirst = heardCallback && messageTo(connected.at) !== undefined
    if (mode === 'pollingOnly') {
      if (heardCallback || messageTo(undefined)) throw new Error(`${label}: the stand-in callback page signalled the app (events: ${events.join('; ')})`)
      if (events.some(entry => entry.startsWith(`${PROVIDER}: popup_closed`))) throw new Error(`${label}: the popup-closed path cut in (events: ${events.join('; ')})`)
    }
    const ms = connected.at - start.at
    if (!(ms > 0)) throw new Error(`${label}: onConnected (${connected.at}) before the callback page (${start.at})`)
    return { ms: Math.round(ms * 10) / 10, fastPathFirst }
  } finally {
    await context.close().catch(() => undefined)
  }
}

function describe(mode: Mode, stats: LatencyStats, note: string): string {
  const ms = (value: number) => `${Math.round(value)} ms`
  return `${LABELS[mode].padEnd(18)} callback page → onConnected over ${stats.samples.length} runs: median ${ms(stats.medianMs)}, p95 ${ms(stats.p95Ms)}, min ${ms(stats.minMs)}, max ${ms(stats.maxMs)}${note}`
}

async function main(): Promise<void> {
  const begun = Date.now()
  let playground: Playground | undefined
  let browser: Browser | undefined
  let dataDir = ''
  let cleaning: Promise<void> | undefined
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await browser?.close().catch((error: unknown) => console.error('latency: closing Chromium failed:', error))
      await playground?.close().catch((error: unknown) => console.error('latency: closing the playground failed:', error))
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    })())
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`latency: ${signal}, closing the browser and the playground`)
    void cleanUp().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    dataDir = mkdtempSync(join(tmpdir(), 'rpc-latency-data-'))
    playground = await startPlayground({ port: 0, host: '127.0.0.1', lifetimeMs: 30 * 60 * 1000, dataDir, logger: { warn() {}, error() {} } })
    browser = await launchChromium()
    const baseUrl = playground.url
    await warmUp(browser, baseUrl)
    // One unmeasured connect per mode: the first pass through the flow's pages and routes.
    for (const mode of MODES) await withTimeout(measureOnce(browser, baseUrl, mode, `${mode} warm-up`), 60_000, `${mode} warm-up`)

    const samples: Record<Mode, number[]> = { fastPath: [], pollingOnly: [] }
    let fastPathFirst = 0
    // Interleaved, so any drift over the run (GC, a busy machine) falls on both modes alike.
    for (let run = 1; run <= RUNS; run++) {
      for (const mode of MODES) {
        const label = `${mode} run ${run}/${RUNS}`
        const result = await withTimeout(measureOnce(browser, baseUrl, mode, label), 60_000, label)
        samples[mode].push(result.ms)
        if (result.fastPathFirst) fastPathFirst++
      }
    }

    // A fast path that never wins is a broken one: the numbers would be polling's under another name.
    if (fastPathFirst === 0) throw new Error(`the callback message never came first in ${RUNS} fast path runs: is the fast path broken?`)
    const results: LatencyResults = { runs: RUNS, fastPath: summarize(samples.fastPath), pollingOnly: summarize(samples.pollingOnly) }
    mkdirSync(dirname(OUTPUT), { recursive: true })
    writeFileSync(OUTPUT, JSON.stringify(results, null, 2) + '\n')
    console.log(describe('fastPath', results.fastPath, ` (the callback message came first in ${fastPathFirst}, a status poll in ${RUNS - fastPathFirst})`))
    console.log(describe('pollingOnly', results.pollingOnly, ''))
    console.log(`latency: wrote ${OUTPUT} in ${((Date.now() - begun) / 1000).toFixed(1)} s`)
  } finally {
    await cleanUp()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

main().catch((error: unknown) => {
  console.error('latency: failed:', error instanceof Error ? error.message : error)
  process.exitCode = 1
})
