import axeCore from 'axe-core'

/** One violation, trimmed to what a failing assertion should print. */
export interface AxeViolation {
  id: string
  impact: string | null | undefined
  help: string
  nodes: string[]
}

/**
 * Runs axe-core on `container` (default: the whole document, so portalled dialogs count) and
 * returns the violations, so `expect(await axe()).toEqual([])` prints their ids, help and targets.
 * Off: `color-contrast` (needs layout, which jsdom lacks) and `region` (landmarks belong to the
 * host page, not to a component rendered alone).
 */
export async function axe(container: Element = document.body): Promise<AxeViolation[]> {
  const results = await axeCore.run(container, {
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
    resultTypes: ['violations'],
  })
  return results.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map(node => node.target.join(' ')),
  }))
}
