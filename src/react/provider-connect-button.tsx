import { Slot } from './slot.js'
import { clsx } from 'clsx'
import { forwardRef, isValidElement, useId } from 'react'
import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from 'react'
import type { SetupFlowState, SetupFlowStatus } from '../core/types.js'
import { composeEventHandlers } from './compose.js'
import { FLOW_OPTION_KEYS } from './flow-options.js'
import { defaultConnectButtonLabels, resolveLabel } from './labels.js'
import type { ConnectButtonLabels, LabelContext } from './labels.js'
import { useSetupSession } from './use-setup-session.js'
import { splitProps } from './split-props.js'
import { VisuallyHidden } from './visually-hidden.js'
import type { UseSetupSessionOptions, UseSetupSessionResult } from './use-setup-session.js'

/** What `children` as a function receives. */
export interface ProviderConnectButtonState extends SetupFlowState {
  providerName: string
  /** True while creating, or pending with the popup open. */
  busy: boolean
  /** The default text for this status (from `labels`). */
  label: string
}

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children' | 'onError' | 'type'>

export interface ProviderConnectButtonProps extends UseSetupSessionOptions, ButtonProps {
  /** The provider's display name, for labels and the popup placeholder. Defaults to `providerId`. */
  providerName?: string
  /** Render the consumer's own element (e.g. a design-system button) with our behaviour. Defaults to `false`. */
  asChild?: boolean
  /** The content; a function receives the state. Defaults to the label for the current status. */
  children?: ReactNode | ((state: ProviderConnectButtonState) => ReactNode)
  /** Any subset of the strings shown or announced, for i18n. Defaults to English. */
  labels?: Partial<ConnectButtonLabels>
  /** Show a Cancel button while the user is on the consent page. Defaults to `true`. */
  showCancel?: boolean
  /** Show why the last attempt failed (the backend's or provider's message) under the button. Defaults to `true`. */
  showError?: boolean
  /** Drop the default class names (`rpc-*`); `data-*` attributes stay. Defaults to `false`. */
  unstyled?: boolean
}

/** This provider's own flow props, beside the list-wide `FLOW_OPTION_KEYS`. */
const OWN_FLOW_KEYS = [
  'providerId',
  'providerName',
  'providerAuthMethodId',
  'providerDeploymentId',
  'replacesConnectionId',
  'environment',
  'onConnected',
  'onError',
  'onStatusChange',
] as const satisfies ReadonlyArray<keyof UseSetupSessionOptions>

type FlowKey = (typeof FLOW_OPTION_KEYS)[number] | (typeof OWN_FLOW_KEYS)[number]

/**
 * Props that configure the flow, not the `<button>`. A pure call, not a spread (which a bundler
 * must keep), so a bundle without the button drops the list.
 */
const FLOW_KEYS = /* @__PURE__ */ (FLOW_OPTION_KEYS as readonly FlowKey[]).concat(OWN_FLOW_KEYS)

/** A consumer's `<button>` without a `type` would submit its form; ours never does. */
function isUntypedButton(child: unknown): boolean {
  return isValidElement<{ type?: string }>(child) && child.type === 'button' && child.props.type === undefined
}

function buttonLabel(status: SetupFlowStatus, popupBlocked: boolean, labels: ConnectButtonLabels, context: LabelContext): string {
  if (status === 'pending' && popupBlocked) return resolveLabel(labels.blocked, context)
  switch (status) {
    case 'idle':
    case 'cancelled':
      return resolveLabel(labels.connect, context)
    case 'creating':
      return resolveLabel(labels.creating, context)
    case 'pending':
      return resolveLabel(labels.pending, context)
    case 'completed':
      return resolveLabel(labels.completed, context)
    case 'expired':
    case 'failed':
    case 'archived':
    case 'error':
      return resolveLabel(labels.retry, context)
  }
}

/** The visible reason of a failed attempt, or null. */
function failureText(flow: UseSetupSessionResult, labels: ConnectButtonLabels, context: LabelContext): string | null {
  switch (flow.status) {
    case 'failed':
    case 'error':
      return flow.error?.message ?? null
    case 'expired':
      return resolveLabel(labels.expiredMessage, context)
    case 'archived':
      return resolveLabel(labels.archivedMessage, context)
    default:
      return null
  }
}

function announcement(flow: UseSetupSessionResult, labels: ConnectButtonLabels, context: LabelContext): string {
  if (flow.popupBlocked) return resolveLabel(labels.popupBlocked, context)
  switch (flow.status) {
    case 'idle':
      return ''
    case 'creating':
      return resolveLabel(labels.announceCreating, context)
    case 'pending':
      return resolveLabel(flow.mode === 'redirect' ? labels.announceRedirect : labels.announcePending, context)
    case 'completed':
      return resolveLabel(labels.announceCompleted, context)
    case 'failed':
      return resolveLabel(labels.announceFailed, context)
    case 'expired':
      return resolveLabel(labels.announceExpired, context)
    case 'archived':
      return resolveLabel(labels.announceArchived, context)
    case 'cancelled':
      return resolveLabel(labels.announceCancelled, context)
    case 'error':
      return resolveLabel(labels.announceError, context)
  }
}

/**
 * A real `<button>` that connects one provider: opens the consent popup on click, shows the
 * flow's status (`data-status`, `aria-busy`), announces changes politely, and offers "Continue in
 * a new tab" when the browser blocks the popup.
 */
export const ProviderConnectButton = /* @__PURE__ */ forwardRef<HTMLButtonElement, ProviderConnectButtonProps>(
  function ProviderConnectButton(props, forwardedRef) {
    const [flowOptions, rest] = splitProps(props, FLOW_KEYS)
    const { asChild = false, children, labels: labelOverrides, showCancel = true, showError = true, unstyled = false, className, onClick, ...buttonProps } = rest
    const flow = useSetupSession(flowOptions)
    const hintId = useId()
    const providerName = props.providerName ?? props.providerId
    const labels = { ...defaultConnectButtonLabels, ...labelOverrides }
    const context: LabelContext = { providerName, error: flow.error }
    const label = buttonLabel(flow.status, flow.popupBlocked, labels, context)
    // Blocked, it waits for the user, not for us: not busy.
    const busy = flow.status === 'creating' || (flow.status === 'pending' && !flow.popupBlocked)
    const renderState: ProviderConnectButtonState = { ...flow, providerName, busy, label }
    const content = typeof children === 'function' ? children(renderState) : (children ?? label)
    // In redirect mode nothing opens: the page itself goes to the consent page.
    const newWindow = flow.mode === 'redirect' ? '' : resolveLabel(labels.opensInNewWindow, context)
    const Comp = asChild ? Slot : 'button'
    const failure = failureText(flow, labels, context)
    const consentUrl = flow.session?.url

    const openInNewTab = (event: MouseEvent<HTMLAnchorElement>) => {
      if (flow.openInNewTab()) event.preventDefault()
    }

    return (
      <>
        <Comp
          {...(!asChild || isUntypedButton(children) ? { type: 'button' as const } : {})}
          {...buttonProps}
          ref={forwardedRef}
          className={clsx(!unstyled && 'rpc-button', className)}
          data-status={flow.status}
          data-provider={props.providerId}
          data-popup-blocked={flow.popupBlocked ? '' : undefined}
          aria-busy={busy || undefined}
          aria-describedby={clsx(buttonProps['aria-describedby'], asChild && newWindow && hintId) || undefined}
          onClick={composeEventHandlers(onClick, () => flow.start())}
        >
          {asChild ? (
            content
          ) : (
            <>
              {content}
              {newWindow && (
                <>
                  {' '}
                  <VisuallyHidden>{newWindow}</VisuallyHidden>
                </>
              )}
            </>
          )}
        </Comp>
        {asChild && newWindow && (
          <span id={hintId} hidden>
            {newWindow}
          </span>
        )}
        {showCancel && flow.status === 'pending' && (
          <button type="button" className={clsx(!unstyled && 'rpc-button-cancel')} data-provider={props.providerId} onClick={() => flow.cancel()}>
            {resolveLabel(labels.cancel, context)}
          </button>
        )}
        {flow.popupBlocked && consentUrl && flow.status === 'pending' && (
          <span className={clsx(!unstyled && 'rpc-popup-blocked')} data-popup-blocked="">
            {resolveLabel(labels.popupBlocked, context)}{' '}
            <a href={consentUrl} target="_blank" rel="noopener noreferrer" onClick={openInNewTab}>
              {resolveLabel(labels.continueInNewTab, context)}
            </a>
          </span>
        )}
        {showError && failure && (
          <span className={clsx(!unstyled && 'rpc-button-error')} data-status={flow.status} data-error-code={flow.error?.code}>
            {failure}
          </span>
        )}
        <VisuallyHidden role="status" aria-live="polite">
          {announcement(flow, labels, context)}
        </VisuallyHidden>
      </>
    )
  },
)
