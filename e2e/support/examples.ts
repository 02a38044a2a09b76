/**
 * Builds an example app the way a user would: from the packed tarball of this package, in a
 * directory of its own, with its own `npm install`. Then starts it on 127.0.0.1.
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
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

/** The example's documented commands: the first `sh` block of its README, `#` comments dropped. */
export function readmeCommands(name: string): { commands: string[]; url: string } {
  const readme = readFileSync(join(ROOT, 'examples', name, 'README.md'), 'utf8')
  const block = /```sh\n([^`]*)```/.exec(readme)?.[1]
  if (!block) throw new Error(`examples/${name}/README.md has no sh block`)
  const line = block.trim().split('\n')[0] ?? ''
  const url = /#\s*(http\S+)/.exec(line)?.[1] ?? ''
  return { commands: line.replace(/#.*$/, '').split('&&').map(command => command.trim()).filter(Boolean), url }
}

/**
 * Lays the example out as in a clone, `<clone>/examples/<name>`, where `<clone>` holds exactly what
 * the root's `npm run build` leaves for `file:../..` to install: the packed tarball's files. Then
 * runs the README's commands as written, up to (not including) the last one, `npm start`, which the
 * caller runs with its own port. So the examples are tested from the packed tarball, through the
 * very `file:../..` dependency and `.npmrc` a user of a clone has.
 */
export function installExample(name: string): { dir: string; root: string; start: string[] } {
  const tarball = packTarball()
  const root = mkdtempSync(join(tmpdir(), `rpc-example-${name}-`))
  const clone = join(root, 'clone')
  const dir = join(clone, 'examples', name)
  mkdirSync(dir, { recursive: true })
  execFileSync('tar', ['xzf', tarball, '-C', clone, '--strip-components=1'])
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true, filter: source => !/node_modules|[/\\](?:dist|build)$|\.next|\.react-router/.test(source) })
  const { commands } = readmeCommands(name)
  const start = commands.at(-1)
  if (start !== 'npm start') throw new Error(`examples/${name}/README.md should end its commands with \`npm start\`, not ${start}`)
  // Vitest runs with NODE_ENV=test: install as a user's shell would (dev dependencies too), build as in production.
  const { NODE_ENV: _testEnv, ...env } = process.env
  for (const command of commands.slice(0, -1)) {
    const [program, ...args] = command.split(/\s+/)
    const production = command.startsWith('npm run build')
    execFileSync(program as string, args, {
      cwd: dir,
      stdio: 'pipe',
      env: { ...env, NEXT_TELEMETRY_DISABLED: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error', ...(production ? { NODE_ENV: 'production' } : {}) },
    })
  }
  return { dir, root, start: start.split(' ') }
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
