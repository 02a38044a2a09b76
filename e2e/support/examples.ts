/**
 * Builds an example app the way a user would: from the packed tarball of this package, in a
 * directory of its own, with its own `npm install`. Then starts it on 127.0.0.1.
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

let packed: { dir: string; tarball: string } | null = null

/** `npm run build` and `npm pack`, once per test run. */
export function packTarball(): string {
  if (packed) return packed.tarball
  // Vitest sets NODE_ENV=test, which would compile the package's JSX for React's development runtime.
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } })
  const dir = mkdtempSync(join(tmpdir(), 'rpc-pack-'))
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: 'ignore' })
  const name = readdirSync(dir).find(file => file.endsWith('.tgz'))
  if (!name) throw new Error('npm pack made no tarball')
  packed = { dir, tarball: join(dir, name) }
  return packed.tarball
}

/** Copies `examples/<name>` to a temporary directory and installs it with the tarball. */
export function installExample(name: string): string {
  const tarball = packTarball()
  const dir = mkdtempSync(join(tmpdir(), `rpc-example-${name}-`))
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true, filter: source => !/node_modules|[/\\]dist$|\.next/.test(source) })
  const manifestPath = join(dir, 'package.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies: Record<string, string> }
  manifest.dependencies['react-provider-connect'] = `file:${tarball}`
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'pipe' })
  return dir
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => done(port))
    })
  })
}

export interface RunningApp {
  url: string
  output: () => string
  stop(): Promise<void>
}

/** Starts `command` in `dir` and waits until `url` answers. */
export async function startApp(dir: string, command: string[], url: string, env: Record<string, string>): Promise<RunningApp> {
  let output = ''
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  child.stdout?.on('data', chunk => (output += String(chunk)))
  child.stderr?.on('data', chunk => (output += String(chunk)))
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}:\n${output}`)
    const ok = await fetch(url).then(response => response.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 90 s:\n${output}`)
    await new Promise(done => setTimeout(done, 250))
  }
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise(done => child.once('exit', done))
      try {
        process.kill(-(child.pid as number), 'SIGTERM')
      } catch {
        child.kill('SIGTERM')
      }
      await exited
    },
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
