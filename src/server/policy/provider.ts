import { ConnectServerError } from '../http/connect-server-error.js'
import { deploymentOf, isObject, type ContractSession } from '../metorial/objects.js'
import { ID_PATTERN, type CreateInput } from './validate-input.js'

/** What a setup session would connect: the allow-list sees all of it. */
export interface ProviderTarget {
  providerId: string
  providerDeploymentId: string | null
  providerAuthMethodId: string | null
}

/** The options this policy reads (documented on `ConnectServerOptions`). */
export interface ProviderPolicyOptions {
  allowProvider?: (target: ProviderTarget, request: Request) => boolean | Promise<boolean>
  providerAuthCredentialsId?: (providerId: string, request: Request) => string | null | undefined | Promise<string | null | undefined>
  defaultProviderAuthMethodId?: string
  api?: 'setup-sessions' | 'oauth-sessions'
}

export const providerNotAllowed = () => new ConnectServerError(403, 'provider_not_allowed', 'This provider is not available here.')

export interface ProviderPolicy {
  /** Whether `allowProvider` lets this target through: only a literal `true` does; without the hook, everything. */
  allows(target: ProviderTarget, request: Request): Promise<boolean>
  /** Before create: what the browser asks for (with the server's defaults) must pass `allowProvider`. */
  approve(input: CreateInput, request: Request): Promise<ProviderTarget>
  /**
   * After a legacy create, where the browser's `providerId` is only a label: when Metorial says the
   * deployment connects another provider, that provider is what must pass. False means refused: the
   * caller discards the session and answers 403. (With setup sessions the provider the hook approved
   * is the one sent, so there is nothing to confirm.)
   */
  confirm(approved: ProviderTarget, session: ContractSession, raw: unknown, request: Request): Promise<boolean>
  /** The app's own OAuth app for this provider (BYO), checked to be an id. */
  credentialsFor(providerId: string, request: Request): Promise<string | null>
}

export function providerPolicy(options: ProviderPolicyOptions): ProviderPolicy {
  const labelOnly = options.api === 'oauth-sessions'
  const allow = async (target: ProviderTarget, request: Request) => !options.allowProvider || (await options.allowProvider(target, request)) === true
  return {
    allows: allow,
    async approve(input, request) {
      const target: ProviderTarget = {
        providerId: input.providerId,
        providerDeploymentId: input.providerDeploymentId ?? null,
        providerAuthMethodId: input.providerAuthMethodId ?? options.defaultProviderAuthMethodId ?? null,
      }
      if (!(await allow(target, request))) throw providerNotAllowed()
      return target
    },
    async confirm(approved, session, raw, request) {
      if (!labelOnly) return true
      const deployment = isObject(raw) ? deploymentOf(raw) : null
      const actual: ProviderTarget = {
        providerId: session.providerId ?? approved.providerId,
        providerDeploymentId: deployment ?? approved.providerDeploymentId,
        providerAuthMethodId: approved.providerAuthMethodId,
      }
      const differs = actual.providerId !== approved.providerId || (approved.providerDeploymentId !== null && actual.providerDeploymentId !== approved.providerDeploymentId)
      return !differs || (await allow(actual, request))
    },
    async credentialsFor(providerId, request) {
      const credentials = options.providerAuthCredentialsId ? await options.providerAuthCredentialsId(providerId, request) : null
      if (credentials === null || credentials === undefined) return null
      if (typeof credentials !== 'string' || !ID_PATTERN.test(credentials)) {
        throw new TypeError('providerAuthCredentialsId must return a provider auth credentials id (par_…), null or undefined.')
      }
      return credentials
    },
  }
}
