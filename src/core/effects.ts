/** Runs the machine's effects against the world: the backend, timers, the popup, storage, callbacks. */
import type { ConnectClient } from './client.js'
import { serverDateOf } from './deadline.js'
import type { FlowEnvironment, PopupHandle } from './environment.js'
import { toConnectError } from './errors.js'
import { listenForCallback } from './callback-listener.js'
import type { FlowEffect, FlowEvent } from './machine.js'
import { parseSetupSession, parseSetupSessionFor } from './normalize.js'
import type { FlowSettings, SetupFlowOptions } from './options.js'
import { clearRedirectRecord, writeRedirectRecord } from './redirect-store.js'
import { callBackend, isSafeToRetryCreate, retryDelay } from './request.js'
import { Scope } from './scope.js'
import { originOf, STATE_PARAM, withStateParam } from './url.js'
import type { SetupFlowEvent } from './types.js'

const POPUP_CHECK_INTERVAL = 500
/** A create is retried at most this many times, and only where the backend said it did nothing. */
const CREATE_RETRIES = 2

/** What the effects need from the flow that runs them. */
export interface EffectHost {
  options: SetupFlowOptions
  env: FlowEnvironment
  settings: FlowSettings
  client: ConnectClient
  popup: PopupHandle | null
  scopes: Map<number, Scope>
  dispatch(event: FlowEvent): void
  emit(event: SetupFlowEvent): void
  call(callback: () => void): void
}

/** Runs an app callback; its exception is reported asynchronously instead of breaking the flow. */
export function callSafely(callback: () => void): void {
  try {
    callback()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}

function scopeOf(host: EffectHost, runId: number): Scope {
  let scope = host.scopes.get(runId)
  if (!scope) host.scopes.set(runId, (scope = new Scope(host.env)))
  return scope
}

export function runEffect(host: EffectHost, effect: FlowEffect): void {
  const { env, options } = host
  switch (effect.type) {
    case 'create':
      return void create(host, effect.runId, effect.mode, effect.token)
    case 'read':
      return void read(host, effect.runId, effect.sessionId)
    case 'set_timer': {
      const { runId, name } = effect
      return scopeOf(host, runId).setTimer(name, effect.ms, () => host.dispatch({ type: 'timer', runId, name }))
    }
    case 'clear_timer':
      return host.scopes.get(effect.runId)?.clearTimer(effect.name)
    case 'listen': {
      const { runId } = effect
      const scope = scopeOf(host, runId)
      const origin = options.redirectUrl ? originOf(options.redirectUrl, env.locationHref() ?? undefined) : null
      scope.onRelease(env.onWake(reason => host.dispatch({ type: 'check', reason, runId })))
      const stop = listenForCallback(env, { state: effect.token, origin }, channel => host.dispatch({ type: 'check', reason: 'callback', runId, channel }))
      return scope.onRelease(stop)
    }
    case 'watch_popup': {
      const { runId } = effect
      const scope = scopeOf(host, runId)
      const check = () => {
        const popup = host.popup
        if (!popup) return
        if (!popup.closed) return scope.setTimer('popup', POPUP_CHECK_INTERVAL, check)
        host.popup = null
        host.dispatch({ type: 'popup_closed', runId })
      }
      return scope.setTimer('popup', POPUP_CHECK_INTERVAL, check)
    }
    case 'navigate_popup':
      try {
        host.popup?.location.replace(effect.url)
      } catch {
        // The user closed the placeholder already: the popup watcher reports it.
      }
      return
    case 'close_popup': {
      const popup = host.popup
      host.popup = null
      try {
        if (popup && !popup.closed) popup.close()
      } catch {
        // Already gone.
      }
      return
    }
    case 'release':
      host.scopes.get(effect.runId)?.release()
      host.scopes.delete(effect.runId)
      return
    case 'emit':
      return host.emit(effect.event)
    case 'status_changed':
      return
    case 'redirect': {
      const { session } = effect
      writeRedirectRecord(env, { sessionId: session.id, state: effect.token, providerId: options.providerId, returnTo: env.locationHref() ?? '', createdAt: effect.createdAt })
      return env.navigate(session.url)
    }
    case 'save_record':
      return writeRedirectRecord(env, { sessionId: effect.sessionId, state: effect.token, providerId: effect.providerId, returnTo: '', createdAt: effect.createdAt })
    case 'clear_record':
      return clearRedirectRecord(env, effect.providerId, effect.sessionId)
    case 'drop_state_param':
      return dropStateParam(env, effect.token)
    case 'session_created':
      return host.client.sessionCreated(effect.sessionId)
    case 'connected': {
      const { session, authConfigId } = effect
      if (host.client.claimCompletion(session.id)) {
        host.emit({ type: 'connected', providerId: options.providerId, sessionId: session.id, authConfigId })
        host.call(() => options.onConnected?.(authConfigId, session))
      }
      return host.client.notifyConnectionsChanged({}, env)
    }
    case 'failed': {
      const { error } = effect
      return host.call(() => options.onError?.(error))
    }
  }
}

async function create(host: EffectHost, runId: number, mode: 'popup' | 'redirect', token: string): Promise<void> {
  const { options, env, settings } = host
  const scope = scopeOf(host, runId)
  const href = env.locationHref() ?? undefined
  const redirectBase = options.redirectUrl ?? (mode === 'redirect' ? href : undefined)
  const input = {
    providerId: options.providerId,
    providerAuthMethodId: options.providerAuthMethodId ?? 'oauth',
    ...(options.providerDeploymentId === undefined ? {} : { providerDeploymentId: options.providerDeploymentId }),
    ...(redirectBase === undefined ? {} : { redirectUrl: withStateParam(redirectBase, token, href) }),
    ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const raw = await callBackend(env, scope.signal, settings.requestTimeout, signal => options.backend.createSetupSession(input, { signal }))
      const session = parseSetupSession(raw)
      if (!scope.signal.aborted) host.dispatch({ type: 'created', runId, session, serverNow: serverDateOf(raw) })
      return
    } catch (caught) {
      if (scope.signal.aborted) return
      const error = toConnectError(caught)
      if (!isSafeToRetryCreate(error) || attempt >= CREATE_RETRIES) return host.dispatch({ type: 'create_failed', runId, error })
      const wait = retryDelay(error, attempt, env.random())
      await new Promise<void>(resolve => scope.setTimer('create_retry', wait, resolve))
    }
  }
}

async function read(host: EffectHost, runId: number, sessionId: string): Promise<void> {
  const { options, env, settings } = host
  const scope = scopeOf(host, runId)
  try {
    const raw = await callBackend(env, scope.signal, settings.requestTimeout, signal => options.backend.getSetupSession(sessionId, { signal }))
    const session = parseSetupSessionFor(sessionId, raw)
    if (!scope.signal.aborted) host.dispatch({ type: 'read', runId, session, serverNow: serverDateOf(raw) })
  } catch (caught) {
    if (!scope.signal.aborted) host.dispatch({ type: 'read_failed', runId, error: toConnectError(caught) })
  }
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
