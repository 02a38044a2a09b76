import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import type { Browser, LaunchOptions } from 'playwright-core'

const DEFAULT_CHROMIUM = '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/** The Chromium to drive: `CHROMIUM_PATH`, else Debian's. Throws (never skips) when there is none. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}. The end-to-end tests need one: run \`apt-get install -y chromium\` (Debian/Ubuntu; ` +
        `.ci/run does it), or point CHROMIUM_PATH at a Chromium/Chrome binary.`,
    )
  }
  return path
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, ...options })
}
