// Type tests: checked by `npm run typecheck` (tsc), so a public type that drifts fails the build.
import { expectTypeOf } from 'vitest'
import type { ComponentProps } from 'react'
import type {
  ConnectBackend,
  ConnectError,
  ConnectErrorCode,
  ProviderConnectButton,
  SetupFlowStatus,
  UseSetupSessionResult,
} from '../src/index.js'
import { ConnectProvider, createConnectClient, useSetupSession } from '../src/index.js'
import type { ConnectClient, SetupFlowOptions } from '../src/index.js'
import type { SetupFlow } from '../src/core/index.js'
import type { SetupFlowState } from '../src/core/index.js'
import { waitForSetupSession } from '../src/core/index.js'
import type { SetupSession } from '../src/core/index.js'
import { completeSetupSession } from '../src/callback/index.js'
import { createConnectHandler } from '../src/server/index.js'
import { createMockBackend } from '../src/testing/index.js'

expectTypeOf(useSetupSession).parameter(0).toHaveProperty('providerId').toEqualTypeOf<string>()
expectTypeOf<UseSetupSessionResult['status']>().toEqualTypeOf<SetupFlowStatus>()
expectTypeOf<UseSetupSessionResult>().toExtend<SetupFlowState>()
expectTypeOf<UseSetupSessionResult['start']>().toEqualTypeOf<() => void>()
expectTypeOf<UseSetupSessionResult['authConfigId']>().toEqualTypeOf<string | null>()
expectTypeOf<UseSetupSessionResult['error']>().toEqualTypeOf<ConnectError | null>()

type ButtonProps = ComponentProps<typeof ProviderConnectButton>
expectTypeOf<ButtonProps['onConnected']>().toEqualTypeOf<((authConfigId: string, session: SetupSession) => void) | undefined>()
expectTypeOf<ButtonProps>().toHaveProperty('className')
expectTypeOf<ButtonProps>().toHaveProperty('asChild')
// The button owns `type`: a consumer cannot turn it into a submit button by accident.
expectTypeOf<ButtonProps>().not.toHaveProperty('type')

expectTypeOf<ConnectError['code']>().toEqualTypeOf<ConnectErrorCode>()
expectTypeOf(waitForSetupSession).returns.toEqualTypeOf<Promise<SetupSession>>()
expectTypeOf(createMockBackend()).toExtend<ConnectBackend>()
expectTypeOf(createConnectHandler).returns.toEqualTypeOf<(request: Request) => Promise<Response>>()
expectTypeOf(completeSetupSession).returns.resolves.toHaveProperty('state')

// A custom backend is four functions taking an AbortSignal.
expectTypeOf<Parameters<ConnectBackend['getSetupSession']>[1]>().toEqualTypeOf<{ signal: AbortSignal }>()

// One client per provider tree, shared by flows and lists; the flow's runner state stays private.
expectTypeOf(createConnectClient()).toEqualTypeOf<ConnectClient>()
expectTypeOf<ComponentProps<typeof ConnectProvider>['client']>().toEqualTypeOf<ConnectClient | undefined>()
expectTypeOf<SetupFlowOptions['client']>().toEqualTypeOf<ConnectClient | undefined>()
expectTypeOf<SetupFlowOptions['requestTimeout']>().toEqualTypeOf<number | undefined>()
expectTypeOf<keyof SetupFlow>().toEqualTypeOf<'getState' | 'setOptions' | 'start' | 'openInNewTab' | 'cancel' | 'reset' | 'check' | 'resume' | 'subscribe'>()
