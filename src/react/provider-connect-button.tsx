import { Slot } from './slot.js'
import { clsx } from 'clsx'
import { forwardRef, isValidElement, useId } from 'react'
import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from 'react'
import type { SetupFlowState, SetupFlowStatus } from '../core/types.js'
import { composeEventHandlers } from './compose.js'
import { useConnectContext } from './context.js'
import { FLOW_OPTION_KEYS } from './flow-options.js'
import { defaultConnectButtonLabels, resolveLabel } from './labels.js'
import type { ConnectButtonLabels, LabelContext } from './labels.js'
import { useSetupSession } from './use-setup-session.js'
import { splitProps } from './split-props.js'
import { VisuallyHidden } from './visually-hidden.js'
import type { UseSetupSessionOptions, UseSetupSessionResult } from './use-setup-session.js'
import type { Locale } from '../locales/locale.js'

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
  /** Any subset of the strings shown or announced; each wins over the `ConnectProvider`'s `locale`. Defaults to the locale's, else English. */
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
  'popupText',
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
  const key =
    status === 'pending' && popupBlocked
      ? 'blocked'
      : status === 'idle' || status === 'cancelled'
        ? 'connect'
        : status === 'creating' || status === 'pending' || status === 'completed'
          ? status
          : 'retry'
  return resolveLabel(labels[key], context)
}

/** The visible reason of a failed attempt, or null: the locale's text for its code, else the error's own message. */
function failureText({ status, error }: UseSetupSessionResult, labels: ConnectButtonLabels, context: LabelContext, locale: Locale | undefined): string | null {
  return status === 'failed' || status === 'error'
    ? error && (locale?.errors[error.code] ?? error.message)
    : status === 'expired' || status === 'archived'
      ? resolveLabel(labels[`${status}Message`], context)
      : null
}

/** Each status's announcement is `announce{Status}`; redirect mode says where the page goes instead. */
function announcement(flow: UseSetupSessionResult, labels: ConnectButtonLabels, context: LabelContext): string {
  const { status } = flow
  if (flow.popupBlocked) return resolveLabel(labels.popupBlocked, context)
  if (status === 'idle') return ''
  const key: `announce${Capitalize<Exclude<SetupFlowStatus, 'idle'>>}` | 'announceRedirect' =
    status === 'pending' && flow.mode === 'redirect' ? 'announceRedirect' : `announce${status[0]!.toUpperCase()}${status.slice(1)}` as `announce${Capitalize<typeof status>}`
  return resolveLabel(labels[key], context)
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
    const providerName = props.providerName ?? props.providerId
    const locale = useConnectContext()?.locale
    const flow = useSetupSession({ popupText: locale?.popup.connecting({ providerName }), ...flowOptions })
    const hintId = useId()
    const labels = { ...(locale?.button ?? defaultConnectButtonLabels), ...labelOverrides }
    // The locale's language and direction on each element the button renders (they may sit in a page of another language).
    const language = locale && { lang: locale.code, dir: locale.dir }
    const context: LabelContext = { providerName, error: flow.error }
    const label = buttonLabel(flow.status, flow.popupBlocked, labels, context)
    // Blocked, it waits for the user, not for us: not busy.
    const busy = flow.status === 'creating' || (flow.status === 'pending' && !flow.popupBlocked)
    const renderState: ProviderConnectButtonState = { ...flow, providerName, busy, label }
    const content = typeof children === 'function' ? children(renderState) : (children ?? label)
    // In redirect mode nothing opens: the page itself goes to the consent page.
    const newWindow = flow.mode === 'redirect' ? '' : resolveLabel(labels.opensInNewWindow, context)
    const Comp = asChild ? Slot : 'button'
    const failure = failureText(flow, labels, context, locale)
    const consentUrl = flow.session?.url

    const openInNewTab = (event: MouseEvent<HTMLAnchorElement>) => {
      if (flow.openInNewTab()) event.preventDefault()
    }

    return (
      <>
        <Comp
          {...(!asChild || isUntypedButton(children) ? { type: 'button' as const } : {})}
          {...language}
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
          <button type="button" {...language} className={clsx(!unstyled && 'rpc-button-cancel')} data-provider={props.providerId} onClick={() => flow.cancel()}>
            {resolveLabel(labels.cancel, context)}
          </button>
        )}
        {flow.popupBlocked && consentUrl && flow.status === 'pending' && (
          <span {...language} className={clsx(!unstyled && 'rpc-popup-blocked')} data-popup-blocked="">
            {resolveLabel(labels.popupBlocked, context)}{' '}
            <a href={consentUrl} target="_blank" rel="noopener noreferrer" onClick={openInNewTab}>
              {resolveLabel(labels.continueInNewTab, context)}
            </a>
          </span>
        )}
        {showError && failure && (
          <span {...language} className={clsx(!unstyled && 'rpc-button-error')} data-status={flow.status} data-error-code={flow.error?.code}>
            {failure}
          </span>
        )}
        <VisuallyHidden {...language} role="status" aria-live="polite">
          {announcement(flow, labels, context)}
        </VisuallyHidden>
      </>
    )
  },
)
