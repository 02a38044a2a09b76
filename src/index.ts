'use client'

export { ConnectProvider, useConnectContext } from './react/context.js'
export type { ConnectContextValue, ConnectProviderProps } from './react/context.js'
export type { Locale } from './locales/locale.js'
export { useSetupSession } from './react/use-setup-session.js'
export type { UseSetupSessionOptions, UseSetupSessionResult } from './react/use-setup-session.js'
export { ProviderConnectButton } from './react/provider-connect-button.js'
export type { ProviderConnectButtonProps, ProviderConnectButtonState } from './react/provider-connect-button.js'
export { defaultConnectButtonLabels } from './react/labels.js'
export type { ConnectButtonLabels, Label, LabelContext } from './react/labels.js'
export { createConnectClient } from './core/client.js'
export type { ConnectClient, ConnectClientOptions, ConnectionsChange } from './core/client.js'
export { ConnectError, isConnectError } from './core/errors.js'
export type { ConnectErrorCode } from './core/errors.js'
export type { SetupFlowCallbacks, SetupFlowOptions } from './core/runtime/options.js'
export type { HeadersInput } from './core/backend/http-backend.js'
export type { FlowEnvironment, PopupHandle } from './core/browser/environment.js'
export type { ProviderAuthMethod, ProviderInfo } from './core/backend/providers.js'
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
} from './core/types.js'
export { useConnections } from './react/use-connections.js'
export type { DisconnectFailure, UseConnectionsOptions, UseConnectionsResult } from './react/use-connections.js'
export { useProviders } from './react/use-providers.js'
export type { UseProvidersOptions, UseProvidersResult } from './react/use-providers.js'
export { ConnectionsList } from './react/connections-list.js'
export type { ConnectionsListProps, ConnectionsListProvidersSelector } from './react/connections-list.js'
export { ConnectionsListRoot } from './react/connections-list-root.js'
export type { ConnectionsListRootAttributes, ConnectionsListRootProps } from './react/connections-list-root.js'
export { ConnectionsListRow } from './react/connections-list-row.js'
export type { ConnectionsListRowProps } from './react/connections-list-row.js'
export { ConnectionsListToolbar } from './react/connections-list-toolbar.js'
export type { ConnectionsListToolbarProps } from './react/connections-list-toolbar.js'
export { DisconnectDialog } from './react/disconnect-dialog.js'
export type { DisconnectDialogProps } from './react/disconnect-dialog.js'
export type { ConnectionsListOptions, ConnectionsListRowRenderProps, ConnectionsListRowState } from './react/connections-list-options.js'
export type { ConnectionsListProvider } from './react/connections-list-provider.js'
export type { ConnectionsListClassNames, ConnectionsListPart } from './react/connections-list-class-names.js'
export type { ConnectionsListFlowOptions } from './react/flow-options.js'
export { defaultConnectionsListLabels } from './react/connections-list-labels.js'
export type { ConnectionsListLabel, ConnectionsListLabelContext, ConnectionsListLabels } from './react/connections-list-labels.js'
