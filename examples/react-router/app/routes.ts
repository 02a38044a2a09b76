import { type RouteConfig, index, route } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  route('api/connect/*', 'routes/api.connect.$.ts'),
  route('connect/callback', 'routes/connect.callback.tsx'),
] satisfies RouteConfig
