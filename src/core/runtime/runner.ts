/**
 * Runs the engine's effects against the world (the backend, timers, popups, storage, callbacks) and
 * feeds the answers back as events. It decides nothing: every choice was made by the reducer.
 */
import { callBackend } from '../backend/request.js'
import { parseSetupSession, parseSetupSessionFor } from '../backend/normalize.js'
import { listenForCallback } from '../browser/callback-listener.js'
import type { FlowEnvironment, PopupHandle } from '../browser/environment.js'
import { openPopup, popupFeatures, writePlaceholder } from '../browser/popup.js'
import { clearRedirectRecord, writeRedirectRecord } from '../browser/redirect-store.js'
import { originOf, STATE_PARAM, withStateParam } from '../browser/url.js'
import type { ConnectClient } from '../client.js'
import { withoutUndefined } from '../defined.js'
import { serverDateOf } from '../engine/deadline.js'
import type { FlowEffect, FlowEvent } from '../engine/model.js'
import type { FlowSettings } from '../engine/settings.js'
import { toConnectError } from '../errors.js'
import type { ConnectError } from '../errors.js'
import type { ConnectBackend, CreateSetupSessionInput, SetupFlowEvent } from '../types.js'
import type { SetupFlowOptions } from './options.js'
import { Scope } from './scope.js'
import { callSafely } from './subscribable.js'

/** What reads and timers need: `waitForSetupSession` runs these with nothing else. */
export interface TimerHost {
  env: Pick<FlowEnvironment, 'setTimeout' | 'clearTimeout' | 'now'>
  /** Where reads go; a flow's options or `waitForSetupSession`'s. */
  options: { backend: ConnectBackend }
  settings: Pick<FlowSettings, 'requestTimeout'>
  scopes: Map<number, Scope>
  dispatch(event: FlowEvent): void
}

/** What a flow's effects need besides. */
export interface FlowHost extends TimerHost {
  env: FlowEnvironment
  options: SetupFlowOptions
  settings: FlowSettings
  client: ConnectClient
  popups: Map<number, PopupHandle>
  emit(event: SetupFlowEvent): void
}

function scopeOf(host: TimerHost, runId: number): Scope {
  let scope = host.scopes.get(runId)
  if (!scope) host.scopes.set(runId, (scope = new Scope(host.env)))
  return scope
}

/** Runs the effects every runner shares: reads, timers and releasing a run. Any other effect is not for it. */
export function runTimerEffect(host: TimerHost, effect: FlowEffect): void {
  switch (effect.type) {
    case 'read':
      return void read(host, effect.runId, effect.sessionId)
    case 'set_timer': {
      const { runId, name } = effect
      return scopeOf(host, runId).setTimer(name, effect.ms, () => host.dispatch({ type: 'timer', runId, name }))
    }
    case 'clear_timer':
      return host.scopes.get(effect.runId)?.clearTimer(effect.name)
    case 'release':
      host.scopes.get(effect.runId)?.release()
      host.scopes.delete(effect.runId)
  }
}

/**
 * One backend call for a run, bounded by `requestTimeout` and aborted with the run: its answer, or
 * its failure, comes back as an event, unless the run was released meanwhile.
 */
async function ask(host: TimerHost, runId: number, call: (signal: AbortSignal) => Promise<unknown>, answer: (raw: unknown) => FlowEvent, failed: (error: ConnectError) => FlowEvent): Promise<void> {
  const { signal } = scopeOf(host, runId)
  let event: FlowEvent
  try {
    event = answer(await callBackend(host.env, signal, host.settings.requestTimeout, call))
  } catch (caught) {
    event = failed(toConnectError(caught))
  }
  if (!signal.aborted) host.dispatch(event)
}

function read(host: TimerHost, runId: number, sessionId: string): Promise<void> {
  return ask(
    host,
    runId,
    signal => host.options.backend.getSetupSession(sessionId, { signal }),
    raw => ({ type: 'read', runId, session: parseSetupSessionFor(sessionId, raw), serverNow: serverDateOf(raw) }),
    error => ({ type: 'read_failed', runId, error }),
  )
}

export function runEffect(host: FlowHost, effect: FlowEffect): void {
  const { env, options, popups } = host
  switch (effect.type) {
    case 'open_popup': {
      const { runId, url } = effect
      const popup = url === null ? openPopup(env, options.providerId, popupFeatures(env, options.popupSize)) : openPopup(env, options.providerId, '', url)
      if (!popup) return host.dispatch({ type: 'popup_refused', runId })
      if (url === null) writePlaceholder(popup, options.popupText ?? `Connecting to ${options.providerName ?? options.providerId}…`)
      popups.set(runId, popup)
      return host.dispatch({ type: 'popup_opened', runId })
    }
    case 'focus_popup':
      try {
        popups.get(effect.runId)?.focus()
      } catch {
        // Some browsers refuse focus() on a cross-origin window; nothing else to do.
      }
      return
    case 'navigate_popup':
      try {
        popups.get(effect.runId)?.location.replace(effect.url)
      } catch {
        // The user closed the placeholder already: the popup watch reports it.
      }
      return
    case 'close_popup': {
      const popup = popups.get(effect.runId)
      popups.delete(effect.runId)
      try {
        if (popup && !popup.closed) popup.close()
      } catch {
        // Already gone.
      }
      return
    }
    case 'create':
      return void create(host, effect.runId, effect.mode, effect.token)
    case 'listen': {
      const { runId } = effect
      const scope = scopeOf(host, runId)
      const origin = options.redirectUrl ? originOf(options.redirectUrl, env.locationHref() ?? undefined) : null
      scope.onRelease(env.onWake(reason => host.dispatch({ type: 'check', reason, runId })))
      return scope.onRelease(listenForCallback(env, { state: effect.token, origin }, channel => host.dispatch({ type: 'check', reason: 'callback', runId, channel })))
    }
    case 'await_restore':
      return scopeOf(host, effect.runId).onRelease(env.onPageRestore(() => host.dispatch({ type: 'page_restored' })))
    case 'emit':
      return host.emit({ ...effect.event, providerId: options.providerId } as SetupFlowEvent)
    case 'navigate':
      return env.navigate(effect.url)
    case 'save_record':
      return writeRedirectRecord(env, { ...effect.record, returnTo: effect.returnHere ? (env.locationHref() ?? '') : '' })
    case 'clear_record':
      return clearRedirectRecord(env, effect.providerId, effect.sessionId)
    case 'drop_state_param':
      return dropStateParam(env, effect.token)
    case 'session_created':
      return host.client.sessionCreated(effect.sessionId)
    case 'connected': {
      const { session, authConfigId } = effect
      host.client.claimCompletion(session.id)
      host.emit({ type: 'connected', providerId: options.providerId, sessionId: session.id, authConfigId })
      return callSafely(() => options.onConnected?.(authConfigId, session))
    }
    case 'connections_changed':
      return host.client.notifyConnectionsChanged({}, env)
    case 'failed': {
      const { error } = effect
      return callSafely(() => options.onError?.(error))
    }
    default:
      return runTimerEffect(host, effect)
  }
}

function create(host: FlowHost, runId: number, mode: 'popup' | 'redirect', token: string): Promise<void> {
  const { options, env } = host
  const href = env.locationHref() ?? undefined
  const redirectBase = options.redirectUrl ?? (mode === 'redirect' ? href : undefined)
  const input = withoutUndefined({
    providerId: options.providerId,
    providerAuthMethodId: options.providerAuthMethodId ?? 'oauth',
    providerDeploymentId: options.providerDeploymentId,
    redirectUrl: redirectBase === undefined ? undefined : withStateParam(redirectBase, token, href),
    metadata: options.metadata,
    replacesConnectionId: options.replacesConnectionId,
  }) as CreateSetupSessionInput
  return ask(
    host,
    runId,
    signal => options.backend.createSetupSession(input, { signal }),
    raw => ({ type: 'created', runId, session: parseSetupSession(raw), serverNow: serverDateOf(raw) }),
    error => ({ type: 'create_failed', runId, error }),
  )
}

/** Back from the consent page on the app's own URL: `connect_state` has done its job. */
function dropStateParam(env: FlowEnvironment, token: string): void {
  const href = env.locationHref()
  if (!href) return
  try {
    const url = new URL(href)
    if (url.searchParams.get(STATE_PARAM) !== token) return
    url.searchParams.delete(STATE_PARAM)
    env.replaceHref(url.toString())
  } catch {
    // An unreadable address: leave it.
  }
}
