// Log in with OpenID Connect (authorization code flow with PKCE, S256), the production login: the
// same issuer whose tokens the app API accepts. The relying party is openid-client: discovery,
// state + nonce + PKCE, the code exchange and the ID token's checks (signature from the issuer's
// JWKS, iss, aud, exp, nonce). Plain http is accepted only for an issuer on a loopback address
// (a provider started on this machine, as in the tests).
import * as client from 'openid-client'
import type { OidcIdentity } from '../customers/index.js'
import { DomainError } from '../platform/errors.js'

export interface OidcLoginConfig {
  issuer: string
  clientId: string
  clientSecret?: string
  redirectUri: () => string
  /** Per request to the issuer (discovery, token, JWKS). */
  timeoutSeconds?: number
}

export interface PendingOidcLogin {
  state: string
  nonce: string
  verifier: string
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export const createOidcLogin = (cfg: OidcLoginConfig) => {
  let configuration: Promise<client.Configuration> | undefined
  const issuerUrl = new URL(cfg.issuer)
  const insecureAllowed = issuerUrl.protocol === 'http:' && LOOPBACK.has(issuerUrl.hostname)

  /** The issuer's metadata, discovered once (again after a failure). */
  const config = () => {
    configuration ??= client
      .discovery(
        issuerUrl,
        cfg.clientId,
        cfg.clientSecret ? undefined : { token_endpoint_auth_method: 'none' },
        cfg.clientSecret ? client.ClientSecretPost(cfg.clientSecret) : client.None(),
        {
          execute: insecureAllowed ? [client.allowInsecureRequests] : [],
          timeout: cfg.timeoutSeconds ?? 10,
        },
      )
      .catch((err: unknown) => {
        configuration = undefined
        throw new DomainError(
          'login_unavailable',
          `The login service at ${cfg.issuer} cannot be reached: ${err instanceof Error ? err.message : String(err)}`,
          503,
        )
      })
    return configuration
  }

  /** The URL to send the browser to, and what the callback must find again (kept in the session). */
  const start = async (): Promise<{ url: string; pending: PendingOidcLogin }> => {
    const c = await config()
    const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() }
    const url = client.buildAuthorizationUrl(c, {
      redirect_uri: cfg.redirectUri(),
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    })
    return { url: url.href, pending }
  }

  /** The identity of a callback (the URL the browser came back with); a DomainError when it does not check out. */
  const finish = async (callbackUrl: URL, pending: PendingOidcLogin): Promise<OidcIdentity & { name: string | null }> => {
    const c = await config()
    try {
      const tokens = await client.authorizationCodeGrant(c, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const idToken = tokens.claims()
      if (!idToken?.sub) throw new Error('the ID token has no subject')
      // Providers may keep profile claims out of the ID token when an access token is issued: then UserInfo has them.
      const profile =
        idToken.email === undefined && c.serverMetadata().userinfo_endpoint
          ? await client.fetchUserInfo(c, tokens.access_token, idToken.sub)
          : idToken
      return {
        issuer: String(idToken.iss),
        subject: idToken.sub,
        email: typeof profile.email === 'string' ? profile.email : '',
        emailVerified: profile.email_verified === true,
        name: typeof profile.name === 'string' ? profile.name : null,
      }
    } catch (err) {
      throw new DomainError('login_failed', `OpenID Connect login failed: ${err instanceof Error ? err.message : String(err)}`, 400)
    }
  }

  return { start, finish, issuer: cfg.issuer }
}

export type OidcLogin = ReturnType<typeof createOidcLogin>
