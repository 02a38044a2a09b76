import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { Key, remote } from 'webdriverio'
import type { UserBrowser, UserPage, UserSession } from './driver.js'

/**
 * WebKit, as Debian ships it: WebKitWebDriver (webkit2gtk-driver) driving its MiniBrowser over
 * classic WebDriver, on an Xvfb display this module starts itself (so `npx vitest run` needs no
 * wrapper). One WebDriver session is one fresh MiniBrowser: its own cookies, storage and windows.
 * WebKit's popup blocker stays as a user has it: `window.open` goes through only within about a
 * second of a real gesture, and a WebDriver element click is one.
 */

const KEYS = Key as Record<string, string>
/** How classic WebDriver names an element in a command's arguments. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf'

/** Debian's MiniBrowser: /usr/lib/<multiarch>/webkit2gtk-<api>/MiniBrowser. */
function debianMiniBrowser(): string | undefined {
  const within = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => join(dir, entry.name))
  return within('/usr/lib')
    .flatMap(within)
    .filter(dir => /\/webkit2gtk-[\d.]+$/.test(dir))
    .map(dir => join(dir, 'MiniBrowser'))
    .find(path => existsSync(path))
}

export function miniBrowserPath(): string {
  const path = process.env.WEBKIT_MINIBROWSER_PATH || debianMiniBrowser()
  if (!path || !existsSync(path) || !existsSync('/usr/bin/WebKitWebDriver') || !existsSync('/usr/bin/Xvfb')) {
    throw new Error(
      `No WebKit to drive (MiniBrowser: ${path ?? 'none'}). Run \`apt-get install -y webkit2gtk-driver xvfb xauth\` (.ci/run does it), ` +
        `or point WEBKIT_MINIBROWSER_PATH at a MiniBrowser.`,
    )
  }
  return path
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Starts Xvfb on the first free display (it picks it: `-displayfd`); the display's name. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] })
  const display = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('Xvfb did not start in 10 s')), 10_000)
    ;(child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('\n')) {
        clearTimeout(timer)
        resolve(`:${out.trim()}`)
      }
    })
    child.once('exit', code => reject(new Error(`Xvfb exited (${code})`)))
  })
  return { display, process: child }
}

/** A WebKitWebDriver of its own, in a process group of its own, so that stopping it stops its MiniBrowser too. */
async function startDriver(display: string): Promise<{ port: number; stop(): void }> {
  const port = await freePort()
  const child = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', detached: true, env: { ...process.env, DISPLAY: display } })
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return { port, stop }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  stop()
  throw new Error('WebKitWebDriver did not answer in 15 s')
}

export async function launchWebKitDriver(): Promise<UserBrowser> {
  const binary = miniBrowserPath()
  const xvfb = await startXvfb()
  // One session at a time (WebKitWebDriver runs one): a path that failed before closing its own has
  // it closed here.
  let open: UserSession | null = null
  return {
    name: 'webkit',
    async newSession(options = {}) {
      await open?.close()
      // A driver per session: a new session on a driver whose last MiniBrowser is still shutting down
      // sometimes never answers; a fresh driver costs about 0.1 s.
      const driver = await startDriver(xvfb.display)
      let session: UserSession
      try {
        session = await webkitSession(driver.port, binary, options.userAgent)
      } catch (error) {
        driver.stop()
        throw error
      }
      open = session
      const close = session.close
      session.close = async () => {
        if (open === session) open = null
        // The MiniBrowser goes with its driver's process group; waiting for a polite exit buys nothing.
        await Promise.race([close().catch(() => undefined), new Promise(resolve => setTimeout(resolve, 2_000))])
        driver.stop()
      }
      return session
    },
    async close() {
      await open?.close()
      xvfb.process.kill()
    },
  }
}

async function webkitSession(port: number, binary: string, userAgent?: string): Promise<UserSession> {
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'silent',
    connectionRetryCount: 0,
    // A command WebKit never answers fails the path in 30 s with its name, not at the test's timeout.
    connectionRetryTimeout: 30_000,
    capabilities: {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      // MiniBrowser takes any WebKitSettings property as an option, the user agent among them.
      'webkitgtk:browserOptions': { binary, args: ['--automation', ...(userAgent ? [`--user-agent=${userAgent}`] : [])] },
    } as WebdriverIO.Capabilities,
  })
  await browser.setWindowSize(1000, 800)

  // Classic WebDriver talks to one browsing context at a time: every command first switches to its
  // page's window (and frame), one command at a time.
  let queue: Promise<unknown> = Promise.resolve()
  let current = await browser.getWindowHandle()
  let currentFrame: string | null = null
  const serial = <T>(handle: string, frame: string | null, work: () => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      if (current !== handle || currentFrame !== frame) {
        // Switching to a window also leaves any frame of it.
        await browser.switchToWindow(handle)
        current = handle
        currentFrame = null
        if (frame) {
          const element = browser.$(frame)
          await element.waitForExist({ timeout: 15_000 })
          await browser.switchToFrame({ [ELEMENT_KEY]: await element.elementId })
          currentFrame = frame
        }
      }
      return work()
    })
    queue = run.catch(() => undefined)
    return run
  }
  const handles = () => {
    const run = queue.then(() => browser.getWindowHandles())
    queue = run.catch(() => undefined)
    return run
  }

  const pages = new Map<string, UserPage>()
  let closed = false
  const closedByUs = new Set<string>()
  const page = (handle: string, frame: string | null = null): UserPage => {
    const key = `${handle} ${frame ?? ''}`
    const known = pages.get(key)
    if (known) return known
    const on = <T>(work: () => Promise<T>) => serial(handle, frame, work)
    const user: UserPage = {
      goto: url => on(() => (frame ? browser.execute(`location.assign(${JSON.stringify(url)})`) : browser.url(url))).then(() => undefined),
      url: () => on(() => (frame ? browser.execute('return location.href') : browser.getUrl())),
      evaluate: <T>(expression: string) => on(() => browser.execute(`return (\n${expression}\n)`) as Promise<T>),
      click: selector =>
        on(async () => {
          const element = browser.$(selector)
          await element.waitForExist({ timeout: 15_000 })
          await element.click()
        }),
      press: key => on(() => browser.keys(key.split('+').map(part => KEYS[part] ?? part))),
      type: text => on(() => browser.keys([...text])),
      close: () =>
        serial(handle, null, async () => {
          await browser.closeWindow()
          closedByUs.add(handle)
          current = ''
        }),
      isClosed: async () => closed || closedByUs.has(handle) || !(await handles()).includes(handle),
      screenshot: path =>
        serial(handle, null, async () => {
          mkdirSync(dirname(path), { recursive: true })
          await browser.saveScreenshot(path)
        }),
      frame: selector => {
        if (frame) throw new Error('frames within frames are not supported')
        return page(handle, selector)
      },
    }
    pages.set(key, user)
    return user
  }

  const first = current
  let firstTaken = false
  return {
    async newPage() {
      if (!firstTaken) {
        firstTaken = true
        return page(first)
      }
      const [open] = await handles()
      const { handle } = await serial(open ?? first, null, () => browser.createWindow('tab'))
      return page(handle)
    },
    pages: async () => (await handles()).map(handle => page(handle)),
    async close() {
      if (closed) return
      closed = true
      await queue
      await browser.deleteSession()
    },
  }
}
