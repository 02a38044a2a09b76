import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import type { Page } from 'playwright-core'

/** Committed baselines: one PNG per story and variant. */
export const BASELINE_DIR = join(process.cwd(), 'e2e', '__screenshots__')

/** `npm run test:visual:update` sets it: write the screenshots as the new baselines, on purpose. */
export const UPDATING = process.env.UPDATE_SCREENSHOTS === '1'

/**
 * A pixel counts as different past pixelmatch's colour threshold (0.1, anti-aliasing ignored); a
 * screenshot matches while at most this many pixels differ. Few enough that a class with no style, a
 * 4 px shift of Cancel or a lost colour fails (each changes hundreds); the same build on the same
 * Chromium draws identical pixels, so this only absorbs a stray anti-aliased edge.
 */
export const MAX_DIFF_PIXELS = 40

export interface VisualResult {
  /** Why it does not match, or null when it does (or when the baseline was just written). */
  problem: string | null
  diffPixels: number
}

/**
 * Compares a screenshot with its committed baseline. On a mismatch, writes the actual image and a
 * diff beside `artifactsDir` so the change can be looked at before updating on purpose.
 */
export function compareWithBaseline(name: string, actual: Buffer, artifactsDir: string): VisualResult {
  const baselinePath = join(BASELINE_DIR, `${name}.png`)
  if (UPDATING) {
    mkdirSync(dirname(baselinePath), { recursive: true })
    writeFileSync(baselinePath, actual)
    return { problem: null, diffPixels: 0 }
  }
  if (!existsSync(baselinePath)) {
    return { problem: `no baseline ${baselinePath}: run \`npm run test:visual:update\` and look at it before committing`, diffPixels: 0 }
  }
  const expected = PNG.sync.read(readFileSync(baselinePath))
  const got = PNG.sync.read(actual)
  mkdirSync(artifactsDir, { recursive: true })
  if (expected.width !== got.width || expected.height !== got.height) {
    writeFileSync(join(artifactsDir, `${name}.actual.png`), actual)
    return { problem: `size ${got.width}×${got.height}, baseline ${expected.width}×${expected.height}`, diffPixels: expected.width * expected.height }
  }
  const diff = new PNG({ width: got.width, height: got.height })
  const diffPixels = pixelmatch(expected.data, got.data, diff.data, got.width, got.height, { threshold: 0.1 })
  if (diffPixels <= MAX_DIFF_PIXELS) return { problem: null, diffPixels }
  writeFileSync(join(artifactsDir, `${name}.actual.png`), actual)
  writeFileSync(join(artifactsDir, `${name}.diff.png`), PNG.sync.write(diff))
  return { problem: `${diffPixels} pixels differ (at most ${MAX_DIFF_PIXELS} allowed); see ${artifactsDir}`, diffPixels }
}

/**
 * The fonts that really drew the page's text, as Chromium reports them (DevTools `CSS.getPlatformFontsForNode`):
 * every face that is not a web font, with the elements it drew. The preview loads the repository's own
 * fonts (`.storybook/hermetic-fonts.css`); a system face here means the baselines depend on the machine.
 */
export async function systemFontsUsed(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: false })
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'body, body *' })
    const found = new Map<string, Set<string>>()
    // All at once: DevTools pipelines the requests, one round trip instead of one per element.
    const perNode = await Promise.all(nodeIds.map(async nodeId => ({ nodeId, fonts: (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts })))
    for (const { nodeId, fonts } of perNode) {
      for (const font of fonts) {
        if (font.isCustomFont) continue
        const { node } = await cdp.send('DOM.describeNode', { nodeId })
        const where = found.get(font.familyName) ?? new Set<string>()
        where.add(node.localName)
        found.set(font.familyName, where)
      }
    }
    return [...found].map(([family, elements]) => `${family} (${[...elements].join(', ')})`)
  } finally {
    await cdp.detach()
  }
}
