import { rmSync } from 'node:fs'
import { chromiumPath, launchChromium } from './browser.js'
import { ARTIFACTS_DIR } from './artifacts.js'

/** Fails the whole run at once, with the install hint, when no Chromium can be started. */
export default async function setup(): Promise<void> {
  chromiumPath()
  const browser = await launchChromium().catch((error: unknown) => {
    throw new Error(
      `Chromium at ${chromiumPath()} did not start (${String(error)}). Install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    )
  })
  await browser.close()
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true })
}
