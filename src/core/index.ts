/** `react-provider-connect/core`: the flow engine, the HTTP backend and the browser environment, without React. */
export { createHttpBackend, parseRetryAfter } from './backend/http-backend.js'
export type { HeadersInput, HttpBackendOptions } from './backend/http-backend.js'
export { ConnectError, isConnectError } from './errors.js'
export type { ConnectErrorCode, ConnectErrorOptions } from './errors.js'
export { SetupFlow, createSetupFlow } from './runtime/flow.js'
export type { SetupFlowCallbacks, SetupFlowOptions } from './runtime/options.js'
export { waitForSetupSession } from './runtime/wait.js'
export type { WaitForSetupSessionOptions } from './runtime/wait.js'
export { parseConnection, parseConnectionList, parseSetupSession } from './backend/normalize.js'
export { canRetry, isActiveStatus, isFinalSessionStatus, isFinalStatus, statusForSession } from './engine/status.js'
export { isSafeUrl, withStateParam, STATE_PARAM } from './browser/url.js'
export { createBrowserEnvironment } from './browser/environment.js'
export type { ChannelHandle, FlowEnvironment, PopupHandle, TimerId } from './browser/environment.js'
export { prefersRedirect } from './browser/detect.js'
export { DEFAULT_REFUSES_IN_APP_BROWSER, detectInAppBrowser, systemBrowserUrl } from './browser/in-app-browser.js'
export type { InAppBrowser } from './browser/in-app-browser.js'
export { createConnectClient, getDefaultConnectClient } from './client.js'
export type { ConnectClient, ConnectClientOptions, ConnectionsChange } from './client.js'
export { DEFAULT_POLL_SCHEDULE, delayFor, pollDelay } from './engine/schedule.js'
export type { PollSchedule } from './engine/schedule.js'
export type {
  AuthConfig,
  BackendCallOptions,
  CallbackChannelName,
  ConnectBackend,
  Connection,
  CreateSetupSessionInput,
  FinalFlowStatus,
  PollReason,
  SetupFlowEvent,
  SetupFlowState,
  SetupFlowStatus,
  SetupMode,
  SetupSession,
  SetupSessionStatus,
} from './types.js'
export { parseProviderInfo, parseProviderList } from './backend/providers.js'
export type { ProviderAuthMethod, ProviderInfo } from './backend/providers.js'
