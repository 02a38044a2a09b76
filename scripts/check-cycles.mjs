// No import circle in src/, type imports included: a reader can walk the modules from the leaves up,
// and a rule, a room or a part never needs the file that needs it. Run by `npm test`.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const root = resolve(import.meta.dirname, '..')
const src = join(root, 'src')

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path
  }
}

/** `./x.js` written in a .ts file names `./x.ts` or `./x.tsx` (NodeNext resolution), or `./x/index.ts`. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null
  const base = resolve(dirname(from), specifier).replace(/\.(m?js|jsx)$/, '')
  const candidates = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]
  return candidates.find(existsSync) ?? null
}

/** Every module a file names: static imports and re-exports (`import type` too), and `import()`. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false)
  const specifiers = []
  const visit = node => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return specifiers.map(s => resolveSpecifier(file, s)).filter(Boolean)
}

const graph = new Map()
for (const file of sourceFiles(src)) graph.set(file, importsOf(file))

// Tarjan's strongly connected components: every component of more than one file (or a file that
// imports itself) is a circle.
let index = 0
const indices = new Map()
const lowlinks = new Map()
const stack = []
const onStack = new Set()
const circles = []
function connect(file) {
  indices.set(file, index)
  lowlinks.set(file, index)
  index++
  stack.push(file)
  onStack.add(file)
  for (const next of graph.get(file) ?? []) {
    if (!indices.has(next)) {
      connect(next)
      lowlinks.set(file, Math.min(lowlinks.get(file), lowlinks.get(next)))
    } else if (onStack.has(next)) {
      lowlinks.set(file, Math.min(lowlinks.get(file), indices.get(next)))
    }
  }
  if (lowlinks.get(file) !== indices.get(file)) return
  const component = []
  let member
  do {
    member = stack.pop()
    onStack.delete(member)
    component.push(member)
  } while (member !== file)
  if (component.length > 1 || (graph.get(file) ?? []).includes(file)) circles.push(component)
}
for (const file of graph.keys()) if (!indices.has(file)) connect(file)

const edges = [...graph.values()].reduce((sum, list) => sum + list.length, 0)
if (circles.length > 0) {
  console.error(`${circles.length} import circle(s) in src/ (type imports included):`)
  for (const circle of circles) console.error(`- ${circle.map(f => relative(root, f)).sort().join(' <-> ')}`)
  process.exit(1)
}
console.log(`no import circle in src/: ${graph.size} files, ${edges} imports`)
