// Package auth establishes who is calling: it verifies bearer tokens (JWTs
// signed by an identity provider, or for local use by a key kept in the data
// directory) and turns them into a Principal, which travels in the request
// context to the policy that decides what the caller may do.
//
// Deciding what a principal may do is not this package's business; it only
// guarantees that a Principal it returns is well formed: a producer or buyer
// is bound to exactly one resource name, a service account carries the list
// of gRPC methods it was granted, and nothing else.
//
// # Tokens
//
// Only asymmetric signatures are accepted (RS256, RS384, RS512, PS256, ES256,
// EdDSA). A token naming "none" or an HMAC algorithm is refused before any key
// is looked at, so a public key can never be misused as an HMAC secret. The
// issuer and audience must match the configuration, "exp" is required, "nbf"
// and "iat" are checked when present. The claims the service reads are
//
//	sub       the caller's stable identifier (required)
//	role      producer | buyer | trade_office | service
//	resource  producers/{id} for a producer, buyers/{id} for a buyer
//	methods   full gRPC method names a service account may call
//
// Every refusal wraps ErrUnauthenticated with a short reason that is safe to
// return to the caller: it never quotes the token or key material.
//
// # Keys
//
// Public keys come from a PEM file, a JWKS URL, or both. JWKS keys are cached
// and fetched again when a token names a key id the cache does not know (at
// most once a minute, so a stream of made-up key ids cannot turn the service
// into a load generator against the identity provider) and when the cache is
// older than an hour (so a key the provider withdrew stops being trusted).
//
// For local development LoadOrCreateSigningKey keeps an Ed25519 key in the
// data directory next to its public half, and Mint issues tokens with it that
// a Verifier configured with that public key file accepts.
package auth
