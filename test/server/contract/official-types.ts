/**
 * The output and body types of Metorial's generated client (`@metorial/generated`, pinned), read
 * from its `.d.ts` at test time with the TypeScript parser: no fixture to regenerate, so a bump of
 * the pinned client re-checks the simulation against the new types at once. Only the parser runs
 * (no type checker): the client declares every type as an inline literal, which this walks.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import ts from 'typescript'

export type Schema =
  | { kind: 'object'; fields: Record<string, { optional: boolean; schema: Schema }> }
  | { kind: 'union'; options: Schema[] }
  | { kind: 'intersection'; parts: Schema[] }
  | { kind: 'array'; item: Schema }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'string' | 'number' | 'boolean' | 'date' | 'record' | 'any' | 'undefined' }

export type ApiVersion = 'mt_2026_01_01_magnetar' | 'mt_2025_01_01_pulsar'

const require = createRequire(import.meta.url)
const packageRoot = dirname(require.resolve('@metorial/generated/package.json'))
const parsed = new Map<ApiVersion, Map<string, ts.TypeNode>>()

function aliases(version: ApiVersion): Map<string, ts.TypeNode> {
  let found = parsed.get(version)
  if (found) return found
  const file = join(packageRoot, 'dist', version, 'index.d.ts')
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  found = new Map()
  for (const statement of source.statements) if (ts.isTypeAliasDeclaration(statement)) found.set(statement.name.text, statement.type)
  parsed.set(version, found)
  return found
}

function toSchema(node: ts.TypeNode, version: ApiVersion): Schema {
  if (ts.isParenthesizedTypeNode(node)) return toSchema(node.type, version)
  if (ts.isTypeLiteralNode(node)) {
    const fields: Record<string, { optional: boolean; schema: Schema }> = {}
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue
      const name = ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText()
      fields[name] = { optional: member.questionToken !== undefined, schema: toSchema(member.type, version) }
    }
    return { kind: 'object', fields }
  }
  if (ts.isUnionTypeNode(node)) return { kind: 'union', options: node.types.map(type => toSchema(type, version)) }
  if (ts.isIntersectionTypeNode(node)) return { kind: 'intersection', parts: node.types.map(type => toSchema(type, version)) }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', item: toSchema(node.elementType, version) }
  if (ts.isLiteralTypeNode(node)) {
    const literal = node.literal
    if (ts.isStringLiteral(literal)) return { kind: 'literal', value: literal.text }
    if (ts.isNumericLiteral(literal)) return { kind: 'literal', value: Number(literal.text) }
    if (literal.kind === ts.SyntaxKind.NullKeyword) return { kind: 'literal', value: null }
    if (literal.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'literal', value: true }
    if (literal.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'literal', value: false }
  }
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: 'string' }
    case ts.SyntaxKind.NumberKeyword:
      return { kind: 'number' }
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' }
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return { kind: 'any' }
    case ts.SyntaxKind.UndefinedKeyword:
      return { kind: 'undefined' }
    case ts.SyntaxKind.NullKeyword:
      return { kind: 'literal', value: null }
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text
    if (name === 'Date') return { kind: 'date' }
    if (name === 'Record') return { kind: 'record' }
    const alias = aliases(version).get(name)
    if (alias) return toSchema(alias, version)
  }
  throw new Error(`official-types: no schema for ${ts.SyntaxKind[node.kind]} ${node.getText?.() ?? ''}`)
}

/** The declared type `name` (e.g. `DashboardInstanceProviderDeploymentsSetupSessionsGetOutput`). */
export function officialType(version: ApiVersion, name: string): Schema {
  const node = aliases(version).get(name)
  if (!node) throw new Error(`@metorial/generated ${version} declares no type ${name}`)
  return toSchema(node, version)
}

export interface Difference {
  path: string
  problem: 'omitted' | 'shape'
  detail: string
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Date) return 'Date'
  return typeof value === 'object' ? 'object' : `${typeof value} ${JSON.stringify(value)}`
}

function label(schema: Schema): string {
  switch (schema.kind) {
    case 'literal':
      return JSON.stringify(schema.value)
    case 'union':
      return schema.options.map(label).join(' | ')
    case 'array':
      return `${label(schema.item)}[]`
    case 'object':
      return '{…}'
    case 'intersection':
      return schema.parts.map(label).join(' & ')
    default:
      return schema.kind
  }
}

/**
 * Walks a mapped output against its declared type: a required field that is absent is `omitted`;
 * a wrong type, an enum value outside the declared ones, or a field the type does not declare
 * (what a snake_case name left unmapped looks like) is a `shape` difference.
 */
export function differences(value: unknown, schema: Schema, path = '$'): Difference[] {
  switch (schema.kind) {
    case 'any':
      return []
    case 'undefined':
      return value === undefined ? [] : [{ path, problem: 'shape', detail: `expected undefined, got ${describe(value)}` }]
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === schema.kind ? [] : [{ path, problem: 'shape', detail: `expected ${schema.kind}, got ${describe(value)}` }]
    case 'date':
      return value instanceof Date && !Number.isNaN(value.getTime()) ? [] : [{ path, problem: 'shape', detail: `expected a date, got ${describe(value)}` }]
    case 'record':
      return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) ? [] : [{ path, problem: 'shape', detail: `expected an object, got ${describe(value)}` }]
    case 'literal':
      return value === schema.value ? [] : [{ path, problem: 'shape', detail: `expected ${JSON.stringify(schema.value)}, got ${describe(value)}` }]
    case 'array':
      if (!Array.isArray(value)) return [{ path, problem: 'shape', detail: `expected an array, got ${describe(value)}` }]
      return value.flatMap((item, index) => differences(item, schema.item, `${path}[${index}]`))
    case 'union': {
      let best: Difference[] | undefined
      for (const option of schema.options) {
        const found = differences(value, option, path)
        if (found.length === 0) return []
        if (!best || found.length < best.length) best = found
      }
      // A scalar outside every option (an enum value, null where none is allowed) is one difference.
      if (typeof value !== 'object' || value === null || value instanceof Date) return [{ path, problem: 'shape', detail: `expected ${label(schema)}, got ${describe(value)}` }]
      return best ?? []
    }
    case 'intersection':
      return differences(value, merge(schema.parts), path)
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
        return [{ path, problem: 'shape', detail: `expected an object, got ${describe(value)}` }]
      }
      const record = value as Record<string, unknown>
      const found: Difference[] = []
      for (const [name, field] of Object.entries(schema.fields)) {
        if (!(name in record) || record[name] === undefined) {
          if (!field.optional) found.push({ path: `${path}.${name}`, problem: 'omitted', detail: `declared ${label(field.schema)}` })
          continue
        }
        found.push(...differences(record[name], field.schema, `${path}.${name}`))
      }
      for (const name of Object.keys(record)) {
        if (!(name in schema.fields)) found.push({ path: `${path}.${name}`, problem: 'shape', detail: 'not in the official type' })
      }
      return found
    }
  }
}

/** An intersection's object parts as one object (the list queries are `{ paging } & { filters }`). */
function merge(parts: Schema[]): Schema {
  const fields: Record<string, { optional: boolean; schema: Schema }> = {}
  for (const part of parts) if (part.kind === 'object') Object.assign(fields, part.fields)
  return { kind: 'object', fields }
}

/**
 * A value with every field the schema declares (union members merged), so the official
 * `transformTo` shows every wire name a body may carry.
 */
export function sampleOf(schema: Schema): unknown {
  switch (schema.kind) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.fields).map(([name, field]) => [name, sampleOf(field.schema)]))
    case 'intersection':
      return Object.assign({}, ...schema.parts.map(part => sampleOf(part)))
    case 'union': {
      const objects = schema.options.filter(option => option.kind === 'object' || option.kind === 'intersection')
      if (objects.length > 0) return Object.assign({}, ...objects.map(option => sampleOf(option)))
      return sampleOf(schema.options.find(option => option.kind !== 'undefined' && !(option.kind === 'literal' && option.value === null)) ?? schema.options[0]!)
    }
    case 'array':
      return [sampleOf(schema.item)]
    case 'literal':
      return schema.value
    case 'record':
    case 'any':
      return { __any: true }
    case 'date':
      return new Date(0)
    case 'number':
      return 1
    case 'boolean':
      return true
    case 'string':
      return 'x'
    case 'undefined':
      return undefined
  }
}
