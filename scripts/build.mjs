// Builds the package: JS with Vite (ESM in dist/esm, CJS in dist/cjs), declarations with tsc
// (copied beside both, so each format's types resolve as that format), and the stylesheet.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// Always a production build: under NODE_ENV=test or development, JSX would compile for React's
// development runtime (jsxDEV), which production React apps do not have.
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })

rmSync('dist', { recursive: true, force: true })
run('npx', ['vite', 'build', '--logLevel', 'warn'])
run('npx', ['tsc', '-p', 'tsconfig.build.json'])

function copyDeclarations(from, to) {
  for (const name of readdirSync(from)) {
    const source = join(from, name)
    const target = join(to, name)
    if (statSync(source).isDirectory()) {
      mkdirSync(target, { recursive: true })
      copyDeclarations(source, target)
    } else if (name.endsWith('.d.ts')) {
      cpSync(source, target)
    }
  }
}
copyDeclarations('dist/types', 'dist/esm')
copyDeclarations('dist/types', 'dist/cjs')
rmSync('dist/types', { recursive: true, force: true })
// Inside dist/cjs, `.js` and `.d.ts` are CommonJS.
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }, null, 2) + '\n')
if (existsSync('src/styles.css')) cpSync('src/styles.css', 'dist/styles.css')
console.log('built dist/')
