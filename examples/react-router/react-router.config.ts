import type { Config } from '@react-router/dev/config'

// Server rendering: the resource route at /api/connect/* runs on the server that renders the pages.
export default {
  ssr: true,
} satisfies Config
