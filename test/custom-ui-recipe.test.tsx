import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { act, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { createElement } from 'react'
import type { ComponentType, ReactNode } from 'react'
import ts from 'typescript'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectProvider, createConnectClient } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import type { MockBackend } from '../src/testing/index.js'
import { createFakeBrowser } from './fake-environment.js'

/**
 * docs/custom-ui.md, compiled and run: its code blocks (each named by its first line) are written
 * out as an app's files, type-checked strictly against the package's sources as a user's
 * TypeScript would see them, then rendered over a mock backend to check the words each status shows.
 */
const ROOT = join(import.meta.dirname, '..')
const APP = join(ROOT, '.tmp', `custom-ui-recipe-${process.pid}`)
const ENTRIES: Record<string, string> = {
  'react-provider-connect/labels': join(ROOT, 'src/labels/index.ts'),
  'react-provider-connect': join(ROOT, 'src/index.ts'),
}

function recipeFiles(): Map<string, string> {
  const doc = readFileSync(join(ROOT, 'docs/custom-ui.md'), 'utf8')
  const files = new Map<string, string>()
  for (const match of doc.matchAll(/```(?:ts|tsx)\n([\s\S]*?)```/g)) {
    const [first, ...rest] = match[1]!.split('\n')
    const path = /^\/\/ (src\/[\w./-]+\.tsx?)$/.exec(first ?? '')?.[1]
    if (path) files.set(path, rest.join('\n'))
  }
  return files
}

/** Writes the recipe's files under `dir`, the package's entries pointed at this repository's sources. */
function writeApp(dir: string, edit: (path: string, code: string) => string = (_, code) => code): string[] {
  const written: string[] = []
  for (const [path, code] of recipeFiles()) {
    let source = edit(path, code)
    for (const [entry, target] of Object.entries(ENTRIES)) source = source.replaceAll(`'${entry}'`, `'${target.replace(/\.ts$/, '.js')}'`)
    const file = join(dir, path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, source)
    written.push(file)
  }
  return written
}

/** What a strict app's `tsc --noEmit` says about the files: one line per diagnostic. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    skipLibCheck: true,
    noEmit: true,
  })
  return ts
    .getPreEmitDiagnostics(program)
    .filter(diagnostic => diagnostic.file === undefined || diagnostic.file.fileName.startsWith(APP))
    .map(diagnostic => `${diagnostic.file ? diagnostic.file.fileName.slice(APP.length) : ''} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`)
}

beforeAll(() => {
  writeApp(APP)
})

afterAll(() => {
  rmSync(APP, { recursive: true, force: true })
})

describe('docs/custom-ui.md compiles', () => {
  it('has the words, the button and the page', () => {
    expect([...recipeFiles().keys()].sort()).toEqual(['src/ConnectButton.tsx', 'src/Integrations.tsx', 'src/connect-words.ts'])
  })

  it('type-checks as written, in a strict app', () => {
    expect(typeErrors([...recipeFiles().keys()].map(path => join(APP, path)))).toEqual([])
  }, 60_000)

  it('fails to compile when a status is left without words (the switch is exhaustive, as the page says)', () => {
    const dir = join(APP, 'missing-status')
    const files = writeApp(dir, (path, code) => (path === 'src/connect-words.ts' ? code.replace("    case 'archived':\n    case 'error':\n      return `Try", "    case 'error':\n      return `Try") : code))
    const errors = typeErrors(files)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^\/missing-status\/src\/connect-words\.ts TS2366: Function lacks ending return statement/)
  }, 60_000)
})

describe('docs/custom-ui.md renders the words of each status', () => {
  let backend: MockBackend
  let browser: ReturnType<typeof createFakeBrowser>
  type Recipe = {
    ConnectButton: ComponentType<{ providerId: string; providerName: string }>
    ProviderRows: ComponentType
  }
  const load = async (): Promise<Recipe> => ({
    ...((await import(/* @vite-ignore */ join(APP, 'src/ConnectButton.tsx'))) as Pick<Recipe, 'ConnectButton'>),
    ...((await import(/* @vite-ignore */ join(APP, 'src/Integrations.tsx'))) as Pick<Recipe, 'ProviderRows'>),
  })
  const user = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
  const tick = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms))
  const wrap = (node: ReactNode) => (
    <ConnectProvider backend={backend} environment={browser.environment} client={createConnectClient()}>
      {node}
    </ConnectProvider>
  )

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    backend = createMockBackend()
    browser = createFakeBrowser()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  async function clickConnect(): Promise<void> {
    await user().click(screen.getByRole('button', { name: /Slack/ }))
    await tick()
  }

  it('idle, pending with Cancel, then completed', async () => {
    const { ConnectButton } = await load()
    render(wrap(createElement(ConnectButton, { providerId: 'slack', providerName: 'Slack' })))
    expect(screen.getByRole('button', { name: 'Connect Slack' })).not.toHaveAttribute('aria-busy')
    await clickConnect()
    expect(screen.getByRole('button', { name: 'Waiting for Slack…' })).toHaveAttribute('aria-busy', 'true')
    expect(screen.getByRole('status')).toHaveTextContent('Finish connecting in the Slack window.')
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument()
    backend.complete()
    await tick(1000)
    expect(screen.getByRole('button', { name: 'Slack connected' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Slack is connected.')
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull()
  })

  it('a blocked popup: "Open Slack" and a "Continue in a new tab" link to the consent page', async () => {
    browser = createFakeBrowser({ blockPopups: true })
    const { ConnectButton } = await load()
    render(wrap(createElement(ConnectButton, { providerId: 'slack', providerName: 'Slack' })))
    await clickConnect()
    expect(screen.getByRole('button', { name: 'Open Slack' })).not.toHaveAttribute('aria-busy')
    expect(screen.getByRole('status')).toHaveTextContent('Your browser blocked the Slack window. Continue in a new tab')
    expect(screen.getByRole('link', { name: 'Continue in a new tab' })).toHaveAttribute('href', backend.lastSession()!.url)
  })

  it('failed (the provider’s reason), cancelled, and an error by its code', async () => {
    const { ConnectButton } = await load()
    render(wrap(createElement(ConnectButton, { providerId: 'slack', providerName: 'Slack' })))
    await clickConnect()
    backend.fail(undefined, 'Access denied.')
    await tick(1000)
    expect(screen.getByRole('button', { name: 'Try Slack again' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Slack was not connected: Access denied.')

    await clickConnect()
    await user().click(screen.getByRole('button', { name: 'Cancel' }))
    await tick()
    expect(screen.getByRole('button', { name: 'Connect Slack' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent(/^$/)

    backend.failNext('createSetupSession', { status: 403, message: 'Forbidden.' })
    await clickConnect()
    await tick()
    expect(screen.getByRole('button', { name: 'Try Slack again' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended. Sign in again, then connect.')
  })

  it('the list: the catalogue’s providers, each account with its Disconnect, and a button per provider', async () => {
    backend = createMockBackend({
      providers: [
        { providerId: 'slack', name: 'Slack', description: 'Post updates.' },
        { providerId: 'github', name: 'GitHub' },
        { providerId: 'exa', name: 'Exa search', requiresConnection: false },
      ],
      connections: [{ providerId: 'github', id: 'pac_gh', label: 'acme-corp' }],
    })
    const { ProviderRows } = await load()
    render(wrap(createElement(ProviderRows)))
    expect(screen.getByText('Loading integrations…')).toBeInTheDocument()
    await tick()
    const rows = screen.getAllByRole('heading', { level: 3 }).map(heading => heading.closest('li') as HTMLElement)
    expect(rows.map(row => within(row).getByRole('heading').textContent)).toEqual(['Slack', 'GitHub'])
    expect(within(rows[0]!).getByText('Not connected')).toBeInTheDocument()
    expect(within(rows[1]!).getByText('Connected')).toBeInTheDocument()
    expect(within(rows[1]!).getByText(/acme-corp/)).toBeInTheDocument()
    expect(within(rows[1]!).getByRole('button', { name: 'Connect GitHub' })).toBeInTheDocument()
    await user().click(within(rows[1]!).getByRole('button', { name: 'Disconnect' }))
    await tick()
    expect(within(rows[1]!).getByText('Not connected')).toBeInTheDocument()
    expect(backend.connections).toEqual([])
  })
})
