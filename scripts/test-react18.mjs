// Runs the React tests against React 18.3, installed apart (compat/react18) so it never mixes
// with the React 19 the rest of the project uses.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (!existsSync('compat/react18/node_modules/react-dom/package.json')) {
  execFileSync('npm', ['install', '--prefix', 'compat/react18', '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit' })
}
execFileSync('npx', ['vitest', 'run', '--config', 'vitest.react18.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
