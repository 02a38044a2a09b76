import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPostgres {
  url: string
  stop(): Promise<void>
}

const INSTALL_HINT =
  'PostgreSQL is needed for the real-server store tests: install it (Debian/Ubuntu: `apt-get install -y postgresql`, macOS: `brew install postgresql`) or set PG_TEST_URL to a database the tests may create tables in.'

/** initdb / pg_ctl from PATH, else from Debian's versioned folders (newest first). */
function findBinaries(): { initdb: string; pgCtl: string } {
  for (const dir of ['', ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map(v => `/usr/lib/postgresql/${v}/bin/`) : [])]) {
    const initdb = `${dir}initdb`
    try {
      execFileSync(initdb, ['--version'], { stdio: 'ignore' })
      return { initdb, pgCtl: `${dir}pg_ctl` }
    } catch {
      // not here
    }
  }
  throw new Error(INSTALL_HINT)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/**
 * A throwaway PostgreSQL: `PG_TEST_URL` (or `DATABASE_URL`) when set, else a fresh cluster in a
 * temporary folder on a free port, stopped and deleted by `stop()`. PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` user.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.PG_TEST_URL ?? process.env.DATABASE_URL
  if (given) return { url: given, stop: async () => {} }
  const { initdb, pgCtl } = findBinaries()
  const root = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'rpc-pg-'))
  chmodSync(dir, 0o700)
  const as = (command: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }) : execFileSync(command, args, { stdio: 'pipe' })
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const port = await freePort()
  as(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'])
  as(pgCtl, ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`])
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        as(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
