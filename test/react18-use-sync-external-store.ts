// SWR imports the use-sync-external-store shim, whose CommonJS `require('react')` would load
// React 19 past the aliases. React 18 has the hook built in, so the react18 run uses it.
export { useSyncExternalStore } from 'react'
