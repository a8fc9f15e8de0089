/**
 * The ServiceProviderConfig authentication scheme (RFC 7643 §5) for access tokens from
 * POST /oauth/token, advertised beside the static bearer token scheme: both reach the SCIM
 * endpoints as `Authorization: Bearer`, and nothing else (no HTTP Basic) is accepted there.
 */
export const OAUTH_CLIENT_CREDENTIALS_SCHEME = {
  type: "oauth2",
  name: "OAuth 2.0 client credentials",
  description: "An access token from POST /oauth/token (grant_type=client_credentials; client_secret_basic or client_secret_post), sent as a Bearer token",
  specUri: "https://datatracker.ietf.org/doc/html/rfc6749",
  documentationUri: "https://datatracker.ietf.org/doc/html/rfc6749#section-4.4",
} as const;
