package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrUnauthenticated is wrapped by every token refusal. Its message and the
// reason after it are meant for the caller (as UNAUTHENTICATED / HTTP 401);
// they never contain the token or key material.
var ErrUnauthenticated = errors.New("unauthenticated")

// allowedAlgs are the signature algorithms a token may use. Symmetric (HS*)
// and "none" are absent on purpose: with them, whoever knows the verification
// key (public, in our case) could sign.
var allowedAlgs = []string{"RS256", "RS384", "RS512", "PS256", "ES256", "EdDSA"}

const (
	// maxTokenLen bounds the work an unauthenticated caller can ask for:
	// tokens are decoded and their JSON parsed before any signature check.
	// A service account token with maxMethods method names fits.
	maxTokenLen = 16 << 10
	// maxLeeway keeps the clock-skew allowance from quietly turning into a
	// longer token lifetime.
	maxLeeway = 5 * time.Minute
)

// VerifierOptions configure a Verifier.
type VerifierOptions struct {
	// Issuer is the required "iss" claim.
	Issuer string
	// Audience is the audience ("aud") the tokens must be issued for.
	Audience string
	// KeyFile is a PEM file with one or more public keys (RSA of at least
	// 2048 bits, ECDSA P-256, Ed25519), as "PUBLIC KEY" or "RSA PUBLIC KEY"
	// blocks. At least one of KeyFile and JWKSURL is needed.
	KeyFile string
	// JWKSURL is the identity provider's JSON Web Key Set, fetched by
	// NewVerifier (which fails if it cannot) and again as the package
	// documentation describes. It must be https, or http on a loopback host.
	JWKSURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Leeway is the clock skew allowed when checking exp, nbf and iat, at
	// most five minutes.
	Leeway time.Duration
	// Logger receives failures to refresh the JWKS, which otherwise show only
	// as refused tokens; nil means slog.Default().
	Logger *slog.Logger
	// MaxLifetime is the longest validity (exp-iat, or exp-now without
	// iat) a token may claim; 0 means DefaultMaxLifetime. A leaked token is
	// good until it expires, and an identity provider misconfigured to
	// issue year-long tokens should be noticed, not trusted.
	MaxLifetime time.Duration
}

// DefaultMaxLifetime is the longest token lifetime accepted by default.
const DefaultMaxLifetime = 24 * time.Hour

// Verifier checks bearer tokens and turns them into Principals. It is safe for
// concurrent use.
type Verifier struct {
	parser      *jwt.Parser
	now         func() time.Time
	maxLifetime time.Duration
	fileKeys    []publicKey
	jwks        *jwksCache // nil without a JWKS URL
}

// NewVerifier checks opts, loads the key file and fetches the JWKS.
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	if opts.Issuer == "" {
		return nil, errors.New("auth: issuer is required")
	}
	if opts.Audience == "" {
		return nil, errors.New("auth: audience is required")
	}
	if opts.KeyFile == "" && opts.JWKSURL == "" {
		return nil, errors.New("auth: a key file or a JWKS URL is required")
	}
	if opts.MaxLifetime < 0 {
		return nil, fmt.Errorf("auth: negative maximum token lifetime %v", opts.MaxLifetime)
	}
	if opts.MaxLifetime == 0 {
		opts.MaxLifetime = DefaultMaxLifetime
	}
	if opts.Leeway < 0 || opts.Leeway > maxLeeway {
		return nil, fmt.Errorf("auth: leeway %v is outside 0 to %v", opts.Leeway, maxLeeway)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	v := &Verifier{
		now:         now,
		maxLifetime: opts.MaxLifetime,
		parser: jwt.NewParser(
			jwt.WithValidMethods(allowedAlgs),
			jwt.WithIssuer(opts.Issuer),
			jwt.WithAudience(opts.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(opts.Leeway),
			jwt.WithTimeFunc(now),
			// Non-canonical base64 would let one token have many
			// spellings; harmless for the signature, confusing for any
			// later replay or audit logic keyed on the token.
			jwt.WithStrictDecoding(),
		),
	}
	if opts.KeyFile != "" {
		keys, err := loadKeyFile(opts.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
		v.fileKeys = keys
	}
	if opts.JWKSURL != "" {
		if err := checkJWKSURL(opts.JWKSURL); err != nil {
			return nil, fmt.Errorf("auth: JWKS URL: %w", err)
		}
		v.jwks = newJWKSCache(opts.JWKSURL, now, logger)
		if err := v.jwks.load(); err != nil {
			return nil, fmt.Errorf("auth: %w", err)
		}
	}
	return v, nil
}

// checkJWKSURL refuses plain http except on loopback: keys fetched over an
// unauthenticated channel let anyone on the path mint tokens.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("malformed URL")
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("plain http is allowed only on loopback; use https")
	default:
		return fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenClaims are the claims the service reads; other claims are ignored.
type tokenClaims struct {
	jwt.RegisteredClaims
	Role     string   `json:"role"`
	Resource string   `json:"resource,omitempty"`
	Methods  []string `json:"methods,omitempty"`
}

// Verify checks token (the bare JWT, without "Bearer ") and returns its
// principal. Every error wraps ErrUnauthenticated.
//
// Verify takes no context because it only talks to the network to refresh the
// JWKS, which is bounded by its own timeout and rate limit and shared by all
// callers; one caller's cancellation must not abort the refresh the others
// are waiting for.
func (v *Verifier) Verify(token string) (Principal, error) {
	if token == "" {
		return Principal{}, refuse("missing token")
	}
	if len(token) > maxTokenLen {
		return Principal{}, refuse("token too large")
	}
	// The claim names are checked before the library decodes them
	// (case-insensitively, last duplicate winning); see claimNames.
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Principal{}, refuse("malformed token")
	}
	facts, err := checkClaimNames(parts[1])
	if err != nil {
		return Principal{}, refuse(err.Error())
	}
	var claims tokenClaims
	if _, err := v.parser.ParseWithClaims(token, &claims, v.keyFor); err != nil {
		return Principal{}, refuse(reason(err, token, &claims))
	}
	// Only now, with the signature checked, is the lifetime the issuer's.
	if err := checkLifetime(facts, v.maxLifetime, v.now()); err != nil {
		return Principal{}, refuse(err.Error())
	}
	if claims.Role == "" {
		return Principal{}, refuse("missing role")
	}
	role, ok := parseRole(claims.Role)
	if !ok {
		return Principal{}, refuse("unknown role")
	}
	p := Principal{
		Subject:  claims.Subject,
		Role:     role,
		Resource: claims.Resource,
		Methods:  claims.Methods,
	}
	if err := validatePrincipal(p); err != nil {
		return Principal{}, refuse(err.Error())
	}
	return p, nil
}

func refuse(reason string) error {
	return fmt.Errorf("%w: %s", ErrUnauthenticated, reason)
}

// keyError is a refusal decided while choosing the key; its message is
// already safe for the caller.
type keyError struct{ msg string }

func (e *keyError) Error() string { return e.msg }

// keyFor chooses the keys a token's signature is checked against. Keys a token
// brings along ("jwk", "jku", "x5u", "x5c" headers) are never used: they would
// let the token vouch for itself.
func (v *Verifier) keyFor(t *jwt.Token) (any, error) {
	// RFC 7515 requires refusing a "crit" extension one does not implement,
	// and we implement none.
	if _, ok := t.Header["crit"]; ok {
		return nil, &keyError{"unsupported critical header"}
	}
	alg := t.Method.Alg()
	// The parser already refuses other algorithms (WithValidMethods); this
	// repeats it where the key is handed out, so that no later change to the
	// parser options can pair a public key with an HMAC.
	if !slices.Contains(allowedAlgs, alg) {
		return nil, &keyError{"signing algorithm not accepted"}
	}
	var kid string
	if raw, ok := t.Header["kid"]; ok {
		s, isString := raw.(string)
		if !isString {
			return nil, &keyError{"malformed key id"}
		}
		kid = s
	}
	keys := v.candidates(kid, alg)
	switch len(keys) {
	case 0:
		return nil, &keyError{"no matching key"}
	case 1:
		return keys[0], nil
	default:
		return jwt.VerificationKeySet{Keys: keys}, nil
	}
}

// candidates returns the keys that may have signed a token with kid and alg.
func (v *Verifier) candidates(kid, alg string) []jwt.VerificationKey {
	if v.jwks != nil {
		v.jwks.refreshIfStale()
	}
	if kid == "" {
		// No key id: try every key that fits the algorithm. Key sets are
		// small, so this costs a few signature checks at worst.
		keys := fitting(v.fileKeys, "", alg)
		if v.jwks != nil {
			keys = append(keys, fitting(v.jwks.snapshot(), "", alg)...)
		}
		return keys
	}
	keys := fitting(v.fileKeys, kid, alg)
	if v.jwks != nil {
		set := v.jwks.snapshot()
		// Fetch again only for a kid nobody knows; a known kid whose key
		// does not fit the algorithm is a bad token, not a rotation.
		if !hasKid(v.fileKeys, kid) && !hasKid(set, kid) {
			v.jwks.refreshForUnknownKid()
			set = v.jwks.snapshot()
		}
		keys = append(keys, fitting(set, kid, alg)...)
	}
	if len(keys) > 0 {
		return keys
	}
	// A PEM file carries no key ids, so an external provider's kid cannot
	// match the ids derived for its keys: fall back to every file key.
	return fitting(v.fileKeys, "", alg)
}

// fitting returns the keys with the given kid (any kid when empty) that can
// verify alg.
func fitting(keys []publicKey, kid, alg string) []jwt.VerificationKey {
	var out []jwt.VerificationKey
	for _, k := range keys {
		if (kid == "" || k.kid == kid) && k.fits(alg) {
			out = append(out, k.key)
		}
	}
	return out
}

func hasKid(keys []publicKey, kid string) bool {
	return slices.ContainsFunc(keys, func(k publicKey) bool { return k.kid == kid })
}

// reason turns a parser error into a short message for the caller. The
// library's own messages are not passed on: they are wordy and may change
// between versions, and tests and clients deserve stable reasons.
func reason(err error, token string, claims *tokenClaims) string {
	var ke *keyError
	if errors.As(err, &ke) {
		return ke.msg
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed token"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		// WithValidMethods reports a refused algorithm as an invalid
		// signature; tell the two apart for whoever debugs a client.
		if !slices.Contains(allowedAlgs, headerAlg(token)) {
			return "signing algorithm not accepted"
		}
		return "invalid signature"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// Raised before our key function runs, for an "alg" the library
		// does not know or a header without one.
		return "signing algorithm not accepted"
	}
	// From here on the signature was good, so the decoded claims can be
	// trusted enough to say which one is missing.
	switch {
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "token not valid yet"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "token issued in the future"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case claims.Issuer == "":
			return "missing issuer"
		case len(claims.Audience) == 0:
			return "missing audience"
		case claims.ExpiresAt == nil:
			return "missing expiry"
		}
		return "missing required claim"
	}
	return "invalid token"
}

// headerAlg returns the "alg" of a token's header, or "" if it cannot be read.
// Only used to word an error for a token already refused.
func headerAlg(token string) string {
	head, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	return h.Alg
}
