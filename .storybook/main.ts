import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  framework: {
    name: '@storybook/react-vite',
    options: {
      builder: {
        // Our own Vite config, so the library build's `vite.config.ts` (lib mode, d.ts plugins…)
        // never leaks into Storybook.
        viteConfigPath: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
      },
    },
  },
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs'],
  core: { disableTelemetry: true },
  // Props tables with the JSDoc of our own types (inherited option interfaces included); Storybook's
  // defaults already leave out the props React's DOM types add.
  typescript: { reactDocgen: 'react-docgen-typescript' },
}

export default config
