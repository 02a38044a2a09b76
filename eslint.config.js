// The linter `npm test` runs first (`npm run lint`): typescript-eslint's recommended rules and React's
// hooks rules, the React Compiler's among them (refs read or written during render, memo dependencies
// it cannot check…), over the library, its tests, stories, end-to-end tests and scripts.
import reactHooks from 'eslint-plugin-react-hooks'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig([
  globalIgnores(['dist/', 'storybook-static/', 'coverage/', 'reports/', '.stryker-tmp/', '.e2e-artifacts/', 'examples/', 'compat/', 'bench/', 'playground/', '.tmp/']),
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}', 'stories/**/*.{ts,tsx}', 'e2e/**/*.ts', 'scripts/**/*.mjs', '.storybook/**/*.{ts,tsx}', '*.config.{ts,js}'],
    extends: [tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_`-prefixed names say "unused on purpose" (a parameter a signature needs).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
])
