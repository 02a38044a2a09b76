import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import puppeteer from 'puppeteer-core'
import type { Browser as PuppeteerBrowser, BrowserContext as PuppeteerContext, Page as PuppeteerPage } from 'puppeteer-core'
import { chromium } from 'playwright-core'
import type { Browser as PlaywrightBrowser, BrowserContext as PlaywrightContext, Page as PlaywrightPage } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from './browser.js'
import { launchWebKitDriver } from './webkit.js'

/**
 * The little a user's path needs from a browser, the same for Chromium (playwright-core over CDP),
 * Firefox (puppeteer-core over WebDriver BiDi) and WebKit (webdriverio over classic WebDriver,
 * `webkit.ts`), so one test definition runs in all three. Elements
 * are found by CSS selector and read through `evaluate`; clicks and keys are real input events
 * (a user gesture: the popup blocker lets a click's window through and nothing else).
 */
export interface UserPage {
  goto(url: string): Promise<void>
  /** The window's address now (a WebDriver engine asks the browser). */
  url(): Promise<string>
  /** Evaluates a JavaScript expression in the page; its JSON value. */
  evaluate<T>(expression: string): Promise<T>
  /** A real mouse click in the middle of the first element `selector` finds. */
  click(selector: string): Promise<void>
  /** A key or chord: `Tab`, `Enter`, `Escape`, `Shift+Tab`. */
  press(key: string): Promise<void>
  /** Types `text` into the focused element, a key press per character. */
  type(text: string): Promise<void>
  close(): Promise<void>
  isClosed(): Promise<boolean>
  screenshot(path: string): Promise<void>
  /**
   * The document of the `<iframe>` `selector` finds in this page, driven the same way: `evaluate`,
   * `click`, `url` and `goto` act in the frame; keys go to whatever has focus; `close`,
   * `isClosed` and `screenshot` are the window's.
   */
  frame(selector: string): UserPage
}

export interface UserSession {
  newPage(): Promise<UserPage>
  /** Every open window of this session (the app's tab, popups, new tabs). */
  pages(): Promise<UserPage[]>
  close(): Promise<void>
}

/** How a session's browser presents itself. */
export interface SessionOptions {
  /** The `User-Agent` (and `navigator.userAgent`) of the session's pages, e.g. an in-app browser's. Defaults to the engine's own. */
  userAgent?: string
}

export interface UserBrowser {
  readonly name: BrowserName
  newSession(options?: SessionOptions): Promise<UserSession>
  close(): Promise<void>
}

export type BrowserName = 'chromium' | 'firefox' | 'webkit'

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'

/**
 * Playwright's own switches that change what a user's Chromium does: no back-forward cache, no popup
 * blocker, timers and renderers never slowed in the background. Left out, Chromium keeps its defaults.
 */
const PLAYWRIGHT_NON_DEFAULTS = [
  '--disable-back-forward-cache',
  '--disable-popup-blocking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
]

export async function launchBrowser(name: BrowserName): Promise<UserBrowser> {
  if (name === 'webkit') return launchWebKitDriver()
  return name === 'chromium' ? launchChromiumDriver() : launchFirefoxDriver()
}

async function launchChromiumDriver(): Promise<UserBrowser> {
  const browser: PlaywrightBrowser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: PLAYWRIGHT_NON_DEFAULTS,
  })
  return {
    name: 'chromium',
    async newSession(options = {}) {
      const context: PlaywrightContext = await browser.newContext({ viewport: { width: 1000, height: 800 }, ...(options.userAgent ? { userAgent: options.userAgent } : {}) })
      const wrapped = new WeakMap<PlaywrightPage, UserPage>()
      const wrap = (page: PlaywrightPage): UserPage => {
        let user = wrapped.get(page)
        if (!user) {
          user = playwrightPage(page)
          wrapped.set(page, user)
        }
        return user
      }
      return {
        newPage: async () => wrap(await context.newPage()),
        pages: async () => context.pages().map(wrap),
        close: () => context.close(),
      }
    },
    close: () => browser.close(),
  }
}

function playwrightPage(page: PlaywrightPage): UserPage {
  const user: UserPage = {
    goto: async url => void (await page.goto(url)),
    url: async () => page.url(),
    evaluate: expression => page.evaluate(expression),
    click: selector => page.locator(selector).first().click(),
    press: key => page.keyboard.press(key),
    type: text => page.keyboard.type(text),
    close: () => page.close(),
    isClosed: async () => page.isClosed(),
    screenshot: async path => void (await page.screenshot({ path })),
    frame: selector => {
      const frame = async () => {
        const content = await (await page.waitForSelector(selector, { timeout: 15_000 })).contentFrame()
        if (!content) throw new Error(`${selector} is not a frame`)
        return content
      }
      return {
        ...user,
        goto: async url => void (await (await frame()).goto(url)),
        url: async () => (await frame()).url(),
        evaluate: async expression => (await frame()).evaluate(expression),
        click: selector2 => page.frameLocator(selector).locator(selector2).first().click(),
        frame: () => {
          throw new Error('frames within frames are not supported')
        },
      }
    },
  }
  return user
}

async function launchFirefoxDriver(): Promise<UserBrowser> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`No Firefox at ${FIREFOX_PATH}. Run \`apt-get install -y firefox-esr\` (.ci/run does it), or point FIREFOX_PATH at one.`)
  }
  const browser: PuppeteerBrowser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // Puppeteer turns Firefox's popup blocker off; a user's Firefox has it on.
    extraPrefsFirefox: { 'dom.disable_open_during_load': true },
    defaultViewport: { width: 1000, height: 800 },
  })
  return {
    name: 'firefox',
    async newSession(options = {}) {
      const context: PuppeteerContext = await browser.createBrowserContext()
      const { userAgent } = options
      const wrapped = new WeakMap<PuppeteerPage, UserPage>()
      const wrap = (page: PuppeteerPage): UserPage => {
        let user = wrapped.get(page)
        if (!user) {
          user = puppeteerPage(page)
          wrapped.set(page, user)
        }
        return user
      }
      return {
        newPage: async () => {
          const page = await context.newPage()
          if (userAgent) await page.setUserAgent({ userAgent })
          return wrap(page)
        },
        pages: async () => (await context.pages()).map(wrap),
        close: () => context.close(),
      }
    },
    close: () => browser.close(),
  }
}

function puppeteerPage(page: PuppeteerPage): UserPage {
  const user: UserPage = {
    goto: async url => void (await page.goto(url)),
    url: async () => page.url(),
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    click: async selector => {
      const element = await page.waitForSelector(selector, { timeout: 15_000 })
      if (!element) throw new Error(`nothing matches ${selector}`)
      await element.click()
    },
    press: async key => {
      const parts = key.split('+') as Parameters<PuppeteerPage['keyboard']['press']>[0][]
      const last = parts.pop() as Parameters<PuppeteerPage['keyboard']['press']>[0]
      for (const modifier of parts) await page.keyboard.down(modifier)
      await page.keyboard.press(last)
      for (const modifier of parts.reverse()) await page.keyboard.up(modifier)
    },
    type: text => page.keyboard.type(text),
    close: () => page.close(),
    isClosed: async () => page.isClosed(),
    screenshot: async path => {
      mkdirSync(dirname(path), { recursive: true })
      await page.screenshot({ path: path as `${string}.png` })
    },
    frame: selector => {
      const frame = async () => {
        const content = await (await page.waitForSelector(selector, { timeout: 15_000 }))?.contentFrame()
        if (!content) throw new Error(`${selector} is not a frame`)
        return content
      }
      return {
        ...user,
        goto: async url => void (await (await frame()).goto(url)),
        url: async () => (await frame()).url(),
        evaluate: async <T>(expression: string) => (await frame()).evaluate(expression) as Promise<T>,
        click: async selector2 => {
          const element = await (await frame()).waitForSelector(selector2, { timeout: 15_000 })
          if (!element) throw new Error(`nothing matches ${selector2} in ${selector}`)
          await element.click()
        },
        frame: () => {
          throw new Error('frames within frames are not supported')
        },
      }
    },
  }
  return user
}
