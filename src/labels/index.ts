/**
 * `react-provider-connect/labels`: the default strings of the button and the list, and their
 * types, as plain data with no React and no `'use client'`. A Server Component can import them
 * (from the main entry it would get a client reference, read as `undefined`), e.g. to render a
 * heading that matches the list, or to build translated labels to pass as strings.
 */
export { defaultConnectButtonLabels, resolveLabel } from '../react/labels.js'
export type { ConnectButtonLabels, Label, LabelContext } from '../react/labels.js'
export { defaultConnectionsListLabels, resolveListLabel } from '../react/connections-list-labels.js'
export type { ConnectionsListLabel, ConnectionsListLabelContext, ConnectionsListLabels } from '../react/connections-list-labels.js'
