import { version } from 'react'

// Guards the alias: these runs must really be on React 18.
if (!version.startsWith('18.')) throw new Error(`Expected React 18 in the react18 run, got ${version}`)
// React 18 asks test environments to declare themselves, to check act() use.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
