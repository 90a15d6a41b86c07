package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"google.golang.org/grpc/metadata"
)

// OIDCConfig is the identity provider people sign in at (OpenID Connect,
// authorization code flow with PKCE). The tokens it issues must be ones the
// API trusts: its keys are the server's JWKS, its issuer and audience the
// server's.
type OIDCConfig struct {
	IssuerURL    string
	ClientID     string
	ClientSecret string
	// RedirectURL is this site's /signin/callback as the provider knows it.
	RedirectURL string
	// Scopes beyond "openid".
	Scopes []string
	// HTTPClient reaches the provider (nil: http.DefaultClient).
	HTTPClient *http.Client
}

type oidcClient struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client

	mu      sync.Mutex
	pending map[string]pendingSignin // by state
}

// pendingSignin is a sign-in sent to the provider and not back yet.
type pendingSignin struct {
	verifier string // PKCE code verifier
	nonce    string
	next     string
	expires  time.Time
}

func newOIDCClient(ctx context.Context, cfg OIDCConfig) (*oidcClient, error) {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, hc), 15*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(dctx, cfg.IssuerURL)
	if err != nil {
		return nil, fmt.Errorf("OpenID Connect discovery at %s: %w", cfg.IssuerURL, err)
	}
	return &oidcClient{
		cfg:    cfg,
		client: hc,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       append([]string{oidc.ScopeOpenID}, cfg.Scopes...),
		},
		verifier: provider.VerifierContext(oidc.ClientContext(context.WithoutCancel(ctx), hc), &oidc.Config{ClientID: cfg.ClientID}),
		pending:  map[string]pendingSignin{},
	}, nil
}

// oidcStart sends the browser to the provider. State, nonce and the PKCE
// verifier stay on the server; the state also goes into a cookie, so that a
// callback is accepted only in the browser that started it.
func (w *Web) oidcStart(p *pageCtx, next string) error {
	o := w.oidc
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	o.mu.Lock()
	now := time.Now()
	for s, ps := range o.pending {
		if now.After(ps.expires) {
			delete(o.pending, s)
		}
	}
	if len(o.pending) >= 10_000 {
		o.mu.Unlock()
		return errTooManySignins
	}
	o.pending[state] = pendingSignin{verifier: verifier, nonce: nonce, next: next, expires: now.Add(10 * time.Minute)}
	o.mu.Unlock()
	w.setCookie(p.rw, "tb_oidc_state", state, 10*time.Minute)
	return p.redirect(o.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)))
}

var errTooManySignins = errors.New("too many sign-ins in progress")

// oidcCallback finishes the sign-in: the code is exchanged (with the PKCE
// verifier), the ID token verified (signature, issuer, audience, nonce),
// and the session opened with the token the API accepts: the access token
// when it is one the API verifies, else the ID token.
func (w *Web) oidcCallback(p *pageCtx) error {
	o := w.oidc
	if o == nil {
		return errNotFound
	}
	q := p.r.URL.Query()
	state := q.Get("state")
	c, err := p.r.Cookie("tb_oidc_state")
	if err != nil || state == "" || c.Value != state {
		return errCSRF
	}
	w.setCookie(p.rw, "tb_oidc_state", "", -1)
	o.mu.Lock()
	ps, ok := o.pending[state]
	delete(o.pending, state)
	o.mu.Unlock()
	if !ok || time.Now().After(ps.expires) {
		return errCSRF
	}
	if q.Get("error") != "" {
		return errSignIn
	}
	ctx := oidc.ClientContext(p.r.Context(), o.client)
	tok, err := o.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(ps.verifier))
	if err != nil {
		w.log.WarnContext(p.r.Context(), "web: OpenID Connect code exchange failed", "error", err)
		return errSignIn
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := o.verifier.Verify(ctx, rawID)
	if err != nil || idt.Nonce != ps.nonce {
		w.log.WarnContext(p.r.Context(), "web: ID token refused", "error", err)
		return errSignIn
	}
	pr, err := w.startSession(p, tok.AccessToken, rawID)
	if err != nil {
		// The provider's access token is not one the API takes (opaque,
		// or for another audience): the ID token is then the bearer.
		if pr, err = w.startSession(p, rawID, rawID); err != nil {
			return err
		}
	}
	return p.redirect(w.home(pr, ps.next))
}

// withToken replaces the bearer token of an outgoing API context.
func withToken(ctx context.Context, token string) context.Context {
	md, _ := metadata.FromOutgoingContext(ctx)
	md = md.Copy()
	md.Set("authorization", "Bearer "+token)
	return metadata.NewOutgoingContext(ctx, md)
}

// tokenExpiry reads a verified token's exp claim (zero when absent).
func tokenExpiry(token string) time.Time {
	claims := jwt.RegisteredClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, &claims); err != nil || claims.ExpiresAt == nil {
		return time.Time{}
	}
	return claims.ExpiresAt.Time
}
