import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { TestContext } from 'vitest'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { AxeSummary } from './axe.js'

export const ARTIFACTS_DIR = join(process.cwd(), '.e2e-artifacts')

/** What a test adds to `.e2e-artifacts/report.json` (read by the report reporter from `task.meta`). */
export interface E2eMeta {
  axe?: AxeSummary[]
  metrics?: Record<string, unknown>
  notes?: string[]
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
}

export function metaOf(context: TestContext): E2eMeta {
  const meta = context.task.meta as { e2e?: E2eMeta }
  meta.e2e ??= {}
  return meta.e2e
}

/**
 * One test's browser context and evidence: a screenshot per step in `.e2e-artifacts/<test>/`,
 * every page's console (popups included) kept in memory, and written with a last screenshot of
 * every open page when the test fails. The context closes when the test finishes.
 */
export class Evidence {
  readonly dir: string
  readonly context: BrowserContext
  readonly log: string[] = []
  #step = 0
  #labels = new WeakMap<Page, string>()
  #pageCount = 0
  /** The pages this test opened (all of the context's, unless the context is shared). */
  #pages: Page[] = []

  private constructor(dir: string, context: BrowserContext, ownsContext: boolean) {
    this.dir = dir
    this.context = context
    // Popups and tabs the test's pages open; in a shared context, only the pages it opens itself.
    if (ownsContext) context.on('page', page => this.watch(page))
  }

  /**
   * A test's pages in a context that outlives it (shared for its HTTP cache): its pages are closed
   * after the test, and a failure dumps only them.
   */
  static inContext(test: TestContext, context: BrowserContext): Evidence {
    const evidence: Evidence = Evidence.#forTest(test, context, false, () => Promise.all(evidence.#pages.map(page => page.close().catch(() => undefined))))
    return evidence
  }

  static async start(test: TestContext, browser: Browser, options: BrowserContextOptions = {}): Promise<Evidence> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options })
    return Evidence.#forTest(test, context, true, () => context.close().catch(() => undefined))
  }

  /** The test's artifacts folder; when it ends, a failure's dump, then `cleanup`. */
  static #forTest(test: TestContext, context: BrowserContext, ownsContext: boolean, cleanup: () => Promise<unknown>): Evidence {
    const dir = join(ARTIFACTS_DIR, slug(test.task.name))
    mkdirSync(dir, { recursive: true })
    const evidence = new Evidence(dir, context, ownsContext)
    onTestFinished(async ({ task }) => {
      if (task.result?.state === 'fail') await evidence.dumpFailure(task.result.errors?.map(error => error.message ?? String(error)) ?? [])
      await cleanup()
    })
    return evidence
  }

  watch(page: Page, label?: string): void {
    if (this.#labels.has(page)) return
    const name = label ?? (this.#pageCount === 0 ? 'page' : `page${this.#pageCount}`)
    this.#pageCount++
    this.#labels.set(page, name)
    this.#pages.push(page)
    const at = () => new Date().toISOString().slice(11, 23)
    page.on('console', message => this.log.push(`${at()} [${name}] console.${message.type()}: ${message.text()}`))
    page.on('pageerror', error => this.log.push(`${at()} [${name}] pageerror: ${error.stack ?? error.message}`))
    page.on('requestfailed', request =>
      this.log.push(`${at()} [${name}] requestfailed: ${request.method()} ${new URL(request.url()).pathname} ${request.failure()?.errorText ?? ''}`),
    )
    page.on('response', response => {
      if (response.status() >= 400) this.log.push(`${at()} [${name}] HTTP ${response.status()}: ${response.request().method()} ${redactUrl(response.url())}`)
    })
    page.on('framenavigated', frame => {
      if (frame === page.mainFrame()) this.log.push(`${at()} [${name}] navigated: ${redactUrl(frame.url())}`)
    })
    page.on('close', () => this.log.push(`${at()} [${name}] closed`))
  }

  label(page: Page): string {
    return this.#labels.get(page) ?? 'page'
  }

  async newPage(): Promise<Page> {
    const page = await this.context.newPage()
    this.watch(page)
    return page
  }

  /** Screenshot of one step: `<nn>-<step>.png`. A page that closed meanwhile is noted, not an error. */
  async shot(page: Page, step: string): Promise<string> {
    this.#step++
    const file = join(this.dir, `${String(this.#step).padStart(2, '0')}-${slug(step)}.png`)
    if (page.isClosed()) {
      this.log.push(`(screenshot ${step}: page already closed)`)
      return file
    }
    // Let finite animations (a dialog fading in) end, so the picture shows the settled state.
    await page
      .evaluate(() =>
        Promise.race([
          Promise.all(
            document
              .getAnimations()
              .filter(animation => animation.effect?.getTiming().iterations !== Infinity)
              .map(animation => animation.finished.catch(() => undefined)),
          ),
          new Promise(resolve => setTimeout(resolve, 1000)),
        ]),
      )
      .catch(() => undefined)
    await page.screenshot({ path: file, fullPage: true }).catch(error => this.log.push(`(screenshot ${step} failed: ${String(error)})`))
    return file
  }

  async dumpFailure(errors: string[]): Promise<void> {
    for (const page of this.#pages.filter(page => !page.isClosed())) {
      await this.shot(page, `failure-${this.label(page)}`)
    }
    writeFileSync(join(this.dir, 'failure-console.log'), [...errors.map(error => `ERROR: ${error}`), '', ...this.log].join('\n') + '\n')
  }
}

/** Never write a consent URL's client secret into the artifacts. */
export function redactUrl(url: string): string {
  return url.replace(/client_secret=[^&#]*/g, 'client_secret=…').replace(/connect_state=[^&#]*/g, 'connect_state=…')
}
