// @vitest-environment node
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The claims in README.md and docs/ that code can check: the commands they tell you to run exist,
 * the files they point at exist, every option a table lists exists in the sources, and a default
 * the table gives as a literal is the one the option's doc comment gives. (The recipes themselves
 * are checked by docs-match-examples and react-router-recipe.)
 */
const ROOT = join(import.meta.dirname, '..')
const GUIDES = readdirSync(join(ROOT, 'docs')).map(name => `docs/${name}`)
const DOCS = ['README.md', 'CONTRIBUTING.md', 'e2e/README.md', ...GUIDES]
/** Where the README sends a reader of the registry page or the tarball for a shipped file. */
const SHIPPED_URL = 'https://unpkg.com/react-provider-connect/'
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  )
}

/** Every `name?:` / `name:` declared in src with the doc comment right above it. */
function declarations(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const file of sources('src')) {
    const text = read(file)
    for (const match of text.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)\s*\n\s*(?:readonly\s+)?([A-Za-z_]\w*)\??:/g)) {
      const list = found.get(match[2]!) ?? []
      list.push(`${relative(ROOT, join(ROOT, file))}: ${match[1]!.replace(/\s*\n\s*\*\s?/g, ' ')}`)
      found.set(match[2]!, list)
    }
    for (const match of text.matchAll(/^\s*(?:readonly\s+)?([A-Za-z_]\w*)\??:/gm)) if (!found.has(match[1]!)) found.set(match[1]!, [])
  }
  return found
}

interface OptionRow {
  doc: string
  line: number
  names: string[]
  fallback: string
}

/** Rows of option tables: a first cell of backticked names, a last cell (the default). */
function optionRows(): OptionRow[] {
  const rows: OptionRow[] = []
  for (const doc of DOCS) {
    const lines = read(doc).split('\n')
    let inOptions = false
    lines.forEach((line, index) => {
      if (/^\|[^|]*\|[^|]*\|\s*default\s*\|/i.test(line)) inOptions = true
      else if (!line.startsWith('|')) inOptions = false
      else if (inOptions && !/^\|\s*-/.test(line)) {
        const cells = line.split('|').slice(1, -1).map(cell => cell.trim())
        const names = [...(cells[0] ?? '').matchAll(/`([A-Za-z_]\w*)(?:\([^`]*\))?`/g)].map(match => match[1]!)
        if (names.length > 0) rows.push({ doc, line: index + 1, names, fallback: cells.at(-1) ?? '' })
      }
    })
  }
  return rows
}

describe('README and docs say what the code does', () => {
  it('every `npm run <script>` they mention is a script of package.json', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts)
    const missing = DOCS.flatMap(doc => [...read(doc).matchAll(/npm run ([\w:-]+)/g)].map(match => match[1]!).filter(name => !scripts.includes(name)).map(name => `${doc}: npm run ${name}`))
    expect(missing).toEqual([])
  })

  it('every repository file or folder they point at exists', () => {
    const missing: string[] = []
    let seen = 0
    for (const doc of DOCS) {
      const text = read(doc)
      const base = doc.startsWith('docs/') ? 'docs' : doc.startsWith('e2e/') ? 'e2e' : ''
      for (const match of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)\s#]+)/g)) {
        seen++
        if (!existsSync(join(ROOT, base, match[1]!))) missing.push(`${doc}: link ${match[1]}`)
      }
      for (const match of text.matchAll(/`((?:src|docs|e2e|examples|scripts|test|playground|stories|bench|\.ci|\.storybook)\/[\w./@$[\]-]+)`/g)) {
        const path = match[1]!.replace(/[.:]$/, '')
        if (/[*<>]/.test(path)) continue
        seen++
        if (!existsSync(join(ROOT, path)) && !existsSync(join(ROOT, base, path))) missing.push(`${doc}: ${path}`)
      }
    }
    expect(seen, 'paths checked').toBeGreaterThan(20)
    expect(missing).toEqual([])
  })

  it('the README works away from the repository: its links are absolute or its own headings, and each unpkg link is a file the package ships', () => {
    const readme = read('README.md')
    const relative = [...readme.matchAll(/\]\(((?!https?:|#|mailto:)[^)\s]+)\)/g)].map(match => match[1])
    expect(relative, 'links that break on the registry page and in the tarball').toEqual([])
    const files = (JSON.parse(read('package.json')) as { files: string[] }).files
    const shipped = (path: string) => files.some(entry => path === entry || path.startsWith(`${entry}/`))
    const targets = [...readme.matchAll(/\]\((https:\/\/unpkg\.com\/react-provider-connect\/[^)#\s]+)/g)].map(match => match[1]!.slice(SHIPPED_URL.length))
    expect(targets.length, 'unpkg links').toBeGreaterThan(8)
    expect(targets.filter(path => !existsSync(join(ROOT, path)) || !shipped(path))).toEqual([])
    // Every guide is reachable from the README.
    expect(GUIDES.filter(guide => !targets.includes(guide))).toEqual([])
  })

  it('the shipped guides link only to each other: a link out of docs/ would break in the tarball', () => {
    const leaving = GUIDES.flatMap(doc =>
      [...read(doc).matchAll(/\]\(((?!https?:|#|mailto:)[^)\s#]+)/g)].filter(match => match[1]!.startsWith('../') || match[1]!.startsWith('/')).map(match => `${doc}: ${match[1]}`),
    )
    expect(leaving).toEqual([])
  })

  it('every option an options table lists is declared in src', () => {
    const declared = declarations()
    expect(optionRows().length, 'option rows').toBeGreaterThan(40)
    const unknown = optionRows().flatMap(row => row.names.filter(name => !declared.has(name)).map(name => `${row.doc}:${row.line} \`${name}\``))
    expect(unknown).toEqual([])
  })

  it('a default a table gives as a literal is the default the option’s doc comment gives', () => {
    const declared = declarations()
    const literal = /^`([^`]+)`$/
    const wrong: string[] = []
    let checked = 0
    for (const row of optionRows()) {
      const value = literal.exec(row.fallback)?.[1]
      // A call (`Intl.DateTimeFormat(…)`) is prose in both places; literals are compared.
      if (!value || row.names.length !== 1 || value.includes('(')) continue
      const comments = declared.get(row.names[0]!) ?? []
      const stated = comments.filter(comment => /Defaults? to|@default/.test(comment))
      if (stated.length === 0) continue
      checked++
      const normal = (text: string) => text.replace(/[_,\s]/g, '')
      if (!stated.some(comment => normal(comment).includes(normal(`\`${value}\``)) || normal(comment).includes(normal(value)))) {
        wrong.push(`${row.doc}:${row.line} \`${row.names[0]}\` default ${value}; the sources say: ${stated.join(' | ')}`)
      }
    }
    expect(checked, 'defaults compared').toBeGreaterThan(10)
    expect(wrong).toEqual([])
  })
})
