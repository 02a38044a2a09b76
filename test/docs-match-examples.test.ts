// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The docs are the examples: every code block in README.md and docs/ whose first line names a file
 * of an example (`// app/connect/callback/page.tsx`, `// lib/connect.ts`, `// vite.config.ts`,
 * `<!-- connect/callback/index.html -->`) must be made of lines of that file, so a recipe cannot
 * drift from code that builds and runs in `e2e/examples.e2e.ts`. (Comment lines and lines ending
 * in a `// …` note are the docs' own.)
 */

const ROOT = join(import.meta.dirname, '..')
const EXAMPLES = ['nextjs', 'vite', 'react-router'].map(name => join(ROOT, 'examples', name))
/** The pages whose recipes are the examples (docs/server.md shows other stores and frameworks on purpose). */
const DOCS = ['README.md', 'docs/nextjs.md', 'docs/react-router.md', 'docs/callback-and-redirect.md', 'docs/vite.md']
/** A framework's page is its own example's code: `vite.config.ts` in docs/vite.md is examples/vite's. */
const EXAMPLE_OF: Record<string, string> = { 'docs/nextjs.md': 'nextjs', 'docs/react-router.md': 'react-router', 'docs/vite.md': 'vite' }

interface Block {
  doc: string
  path: string
  lines: string[]
}

function blocks(): Block[] {
  const found: Block[] = []
  for (const doc of DOCS) {
    const text = readFileSync(join(ROOT, doc), 'utf8')
    for (const match of text.matchAll(/```(?:ts|tsx|js|mjs|html)\n([\s\S]*?)```/g)) {
      const [first, ...rest] = match[1]!.split('\n')
      const path = /^(?:\/\/|<!--) ((?:(?:app|lib|src|connect)\/)?[\w./[\]$-]+\.(?:ts|tsx|mjs|html))\b/.exec(first ?? '')?.[1]
      if (path) found.push({ doc, path, lines: rest })
    }
  }
  return found
}

const normalize = (line: string) => line.replace(/\s+/g, ' ').trim()

describe('recipes in the docs are the example code', () => {
  const all = blocks()

  it('finds the recipes that name an example file', () => {
    expect(all.map(block => `${block.doc}: ${block.path}`)).toEqual(
      expect.arrayContaining([
        'docs/nextjs.md: app/connect/callback/page.tsx',
        'docs/nextjs.md: app/api/connect/[...path]/route.ts',
        'docs/react-router.md: app/lib/connect.server.ts',
        'docs/react-router.md: app/routes/api.connect.$.ts',
        'docs/react-router.md: app/routes.ts',
        'docs/react-router.md: app/routes/home.tsx',
        'docs/react-router.md: app/routes/connect.callback.tsx',
        'docs/vite.md: connect.mjs',
        'docs/vite.md: vite.config.ts',
        'docs/vite.md: server.mjs',
        'docs/vite.md: connect/callback/index.html',
        'docs/vite.md: src/callback.ts',
        'docs/vite.md: src/Integrations.tsx',
      ]),
    )
  })

  it.each(all.map(block => [`${block.doc}: ${block.path}`, block] as const))('%s', (_, block) => {
    const own = EXAMPLE_OF[block.doc]
    const file = (own ? [join(ROOT, 'examples', own)] : EXAMPLES).map(dir => join(dir, block.path)).find(existsSync)
    expect(file, `${block.path} exists in examples/`).toBeDefined()
    const source = new Set(readFileSync(file!, 'utf8').split('\n').map(normalize))
    const missing = block.lines
      .map(normalize)
      .filter(line => line !== '' && !line.startsWith('//') && !/\s\/\/ /.test(line) && !/^<!--.*-->$/.test(line))
      .filter(line => !source.has(line))
    expect(missing, `lines of ${block.doc}'s ${block.path} that are not in the example`).toEqual([])
  })
})
