import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { onTestFailed } from 'vitest'
import { ARTIFACTS_DIR, slug } from './artifacts.js'
import { WCAG_TAGS } from './axe.js'
import type { SessionOptions, UserBrowser, UserPage, UserSession } from './driver.js'

/**
 * Reading and driving the playground through the engine-neutral driver (`driver.ts`): everything
 * goes through `evaluate`, real clicks and real keys, so a path written with these runs in
 * Chromium and in Firefox alike.
 */

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const js = JSON.stringify

/** Reads until `ok`, or throws with the last value seen. A page mid-navigation cannot be read; the next try can. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout
  let last: T | undefined
  let failure: unknown
  while (Date.now() < deadline) {
    try {
      last = await read()
      if (ok(last)) return last
    } catch (error) {
      failure = error
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeout} ms${failure ? ` (last error: ${String(failure)})` : ''}`)
}

export const row = (providerId: string) => `li[data-provider="${providerId}"]`

export const attr = (page: UserPage, selector: string, name: string) =>
  page.evaluate<string | null>(`document.querySelector(${js(selector)})?.getAttribute(${js(name)}) ?? null`)

/** The text of the first element `selector` finds, white space collapsed; empty when there is none. */
export const text = (page: UserPage, selector: string) =>
  page.evaluate<string>(`(document.querySelector(${js(selector)})?.textContent ?? '').replace(/\\s+/g, ' ').trim()`)

export const texts = (page: UserPage, selector: string) =>
  page.evaluate<string[]>(`[...document.querySelectorAll(${js(selector)})].map(node => (node.textContent ?? '').replace(/\\s+/g, ' ').trim())`)

/** The focused element's name as a screen reader's user hears it first: its aria-label, else its text. */
export const focused = (page: UserPage) =>
  page.evaluate<string>(`document.activeElement?.getAttribute('aria-label') ?? (document.activeElement?.textContent ?? '').replace(/\\s+/g, ' ').trim()`)

/**
 * The focused form field (null when focus is elsewhere): its tag, its value, and its accessible
 * name from `aria-labelledby`, else `aria-label`, else its `<label>`s.
 */
export const focusedField = (page: UserPage) =>
  page.evaluate<{ tag: string; name: string; value: string } | null>(`(() => {
    const field = document.activeElement
    if (!field || !['INPUT', 'TEXTAREA'].includes(field.tagName)) return null
    const byIds = (field.getAttribute('aria-labelledby') ?? '').split(/\\s+/).filter(Boolean).map(id => document.getElementById(id)?.textContent ?? '').join(' ')
    const labels = [...(field.labels ?? [])].map(label => label.textContent ?? '').join(' ')
    const name = (byIds || field.getAttribute('aria-label') || labels).replace(/\\s+/g, ' ').trim()
    return { tag: field.tagName, name, value: field.value }
  })()`)

function pattern(name: string | RegExp): string {
  return typeof name === 'string' ? `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : name.source
}

/** A selector for the button or link whose name (aria-label, else text) is `name`, inside `scope`. */
export async function named(page: UserPage, name: string | RegExp, scope = 'body', timeout = 15_000): Promise<string> {
  const id = `t${Math.random().toString(36).slice(2, 10)}`
  await until(
    () =>
      page.evaluate<boolean>(`(() => {
        const pattern = new RegExp(${js(pattern(name))})
        const found = [...document.querySelectorAll(${js(`${scope} button, ${scope} a`)})].find(node => {
          const label = node.getAttribute('aria-label') ?? (node.textContent ?? '').replace(/\\s+/g, ' ').trim()
          return pattern.test(label) && !node.closest('[hidden]')
        })
        if (found) found.setAttribute('data-e2e', ${js(id)})
        return Boolean(found)
      })()`),
    found => found,
    `a button or link named ${String(name)} in ${scope}`,
    timeout,
  )
  return `[data-e2e="${id}"]`
}

/** Presses Tab (or `Shift+Tab`) until the focused element's name is (or matches) `name`; returns that name. */
export async function tabTo(page: UserPage, name: string | RegExp, max = 60, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<string> {
  const seen: string[] = []
  const wanted = new RegExp(pattern(name))
  for (let i = 0; i < max; i++) {
    await page.press(key)
    const current = await focused(page)
    seen.push(current)
    if (wanted.test(current)) return current
  }
  throw new Error(`${key} never reached ${String(name)}; saw: ${seen.join(' | ')}`)
}

/**
 * A session (cookies, storage, windows) of its own for one path; if the path fails, a screenshot of
 * each of its windows lands in `.e2e-artifacts/<folders…>/<test>/`.
 */
export async function pathSession(browser: UserBrowser, folders: string[], testName: string, options?: SessionOptions): Promise<UserSession> {
  const session = await browser.newSession(options)
  onTestFailed(async () => {
    const pages = await session.pages()
    await Promise.all(pages.map((page, index) => page.screenshot(join(ARTIFACTS_DIR, ...folders, slug(testName), `${index}.png`)).catch(() => undefined)))
  })
  return session
}

/** Opens the playground as `user` (its `?user=` cookie switch) and waits for the list. */
export async function openApp(session: UserSession, baseUrl: string, user: string): Promise<UserPage> {
  const page = await session.newPage()
  await page.goto(`${baseUrl}/?user=${encodeURIComponent(user)}`)
  await until(() => text(page, '[data-testid="current-user"]'), value => value === user, 'the signed-in user')
  await until(() => attr(page, '.rpc-connections', 'data-state'), state => state === 'ready', 'the connections list')
  return page
}

/** The open window other than `opener` whose URL contains `part`, if there is one now. */
export async function openWindowAt(session: UserSession, opener: UserPage, part: string): Promise<UserPage | undefined> {
  for (const page of await session.pages()) {
    if (page === opener || (await page.isClosed())) continue
    // A window closing under us cannot be read: it is not the one.
    if ((await page.url().catch(() => '')).includes(part)) return page
  }
  return undefined
}

/** The window other than `opener` whose URL contains `part`, once it shows a button or link named `ready`. */
export async function windowAt(session: UserSession, opener: UserPage, part: string, ready: string | RegExp): Promise<UserPage> {
  const found = await until(
    () => openWindowAt(session, opener, part),
    page => page !== undefined,
    `a window at ${part}`,
  )
  await named(found as UserPage, ready)
  return found as UserPage
}

/** The simulated consent page the app opened, once its Allow button is there. */
export function consentWindow(session: UserSession, opener: UserPage): Promise<UserPage> {
  return windowAt(session, opener, '/metorial/consent/pas_', 'Allow')
}

/** Axe-core's WCAG 2.2 A/AA violations on the page as it is now, one line each (empty when there are none). */
export async function axeViolations(page: UserPage, name: string): Promise<string[]> {
  // Colours mid-transition (a button fading to its new state) or mid-animation (the dialog fading
  // in) are not what the user reads; endless ones (a spinner) never finish and are left alone.
  await until(
    () =>
      page.evaluate<number>(
        `document.getAnimations().filter(animation => animation.playState === 'running' && animation.effect?.getComputedTiming().endTime !== Infinity).length`,
      ),
    running => running === 0,
    'transitions and animations to finish',
    3_000,
  )
  if (!(await page.evaluate<boolean>(`typeof window.axe !== 'undefined'`))) await page.evaluate(`(0, eval)(${js(AXE_SOURCE)}), true`)
  const violations = await page.evaluate<Array<{ id: string; help: string; nodes: Array<{ target: unknown[] }> }>>(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${js(WCAG_TAGS)} }, resultTypes: ['violations'] }).then(result => result.violations)`,
  )
  return violations.map(violation => `${name}: ${violation.id} ${violation.help} (${violation.nodes.map(node => node.target.join(' ')).join(', ')})`)
}
