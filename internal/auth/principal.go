package auth

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/adiekspor/temubisnis/internal/validate"
)

// Role is the kind of caller. The zero value is RoleAnonymous, so a Principal
// that was never filled in grants nothing beyond public access.
type Role int

// The roles of issue 6. The values are not part of any wire format (tokens
// carry the names that String returns), so they may be reordered, but
// RoleAnonymous must stay zero.
const (
	// RoleAnonymous is a caller without a token.
	RoleAnonymous Role = iota
	// RoleProducer is a producer or consolidator, bound to producers/{id}.
	RoleProducer
	// RoleBuyer is a foreign buyer, bound to buyers/{id}.
	RoleBuyer
	// RoleTradeOffice is staff of the trade office: the administrators.
	RoleTradeOffice
	// RoleService is an internal service account, limited to granted methods.
	RoleService
)

// roleNames are the values of the "role" claim. Anonymous has none on purpose:
// a token can never claim to be anonymous, which would be pointless at best.
var roleNames = map[Role]string{
	RoleProducer:    "producer",
	RoleBuyer:       "buyer",
	RoleTradeOffice: "trade_office",
	RoleService:     "service",
}

// String returns the role's claim value ("producer", "trade_office", ...), or
// "anonymous", for logs and the audit trail.
func (r Role) String() string {
	if r == RoleAnonymous {
		return "anonymous"
	}
	if name, ok := roleNames[r]; ok {
		return name
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// parseRole maps a "role" claim to a Role; anything unknown, including
// "anonymous", is refused.
func parseRole(s string) (Role, bool) {
	for r, name := range roleNames {
		if name == s {
			return r, true
		}
	}
	return RoleAnonymous, false
}

// Principal is the authenticated caller of one request.
type Principal struct {
	// Subject is the token's "sub": who the caller is at the identity
	// provider. Empty for anonymous callers.
	Subject string
	// Role says which kind of caller this is.
	Role Role
	// Resource is the resource the caller acts for: "producers/{id}" for a
	// producer, "buyers/{id}" for a buyer, empty for every other role.
	Resource string
	// Methods are the full gRPC method names a service account was granted,
	// e.g. "/temubisnis.v1.SearchService/SearchListings"; nil for every
	// other role.
	Methods []string
}

// Anonymous returns the principal of a caller that presented no token.
func Anonymous() Principal {
	return Principal{Role: RoleAnonymous}
}

type principalKey struct{}

// WithPrincipal returns a copy of ctx that carries p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal stored by WithPrincipal, or Anonymous when
// there is none: a handler reached without going through authentication must
// get the least privilege, not an error it might ignore.
func FromContext(ctx context.Context) Principal {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok {
		return p
	}
	return Anonymous()
}

// Limits on claim sizes. The values end up in logs, the audit trail and
// policy decisions; a token from a trusted issuer never needs more, and a
// misbehaving one should not be able to make every request expensive.
const (
	maxSubjectLen = 256
	maxMethods    = 128
)

// methodRe is the shape of a full gRPC method name, "/package.Service/Method"
// (every service here lives in a package, so a REST path like "/v1/producers"
// cannot pass for one). Wildcards are deliberately not a thing: a grant names
// each method, so that adding a method to a service never silently extends a
// service account.
var methodRe = regexp.MustCompile(`^/[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+/[A-Za-z_][A-Za-z0-9_]*$`)

// validatePrincipal checks the invariants every Principal from a token (or
// going into a minted one) holds. A token that says more than its role allows,
// such as a producer with granted methods, is refused rather than trimmed, so
// the policy never has to wonder which field wins. The returned message is
// safe to show the caller.
func validatePrincipal(p Principal) error {
	if p.Subject == "" {
		return fmt.Errorf("missing subject")
	}
	if len(p.Subject) > maxSubjectLen || strings.IndexFunc(p.Subject, unicode.IsControl) >= 0 {
		return fmt.Errorf("malformed subject")
	}
	switch p.Role {
	case RoleProducer:
		if !boundTo(p.Resource, "producers/") {
			return fmt.Errorf("producer token needs resource producers/{id}")
		}
	case RoleBuyer:
		if !boundTo(p.Resource, "buyers/") {
			return fmt.Errorf("buyer token needs resource buyers/{id}")
		}
	case RoleTradeOffice, RoleService:
		if p.Resource != "" {
			return fmt.Errorf("%s token must not carry a resource", p.Role)
		}
	default:
		return fmt.Errorf("unknown role")
	}
	if p.Role != RoleService {
		if p.Methods != nil {
			return fmt.Errorf("%s token must not carry methods", p.Role)
		}
		return nil
	}
	// A service account without methods can do nothing; it is almost
	// certainly a mapping mistake at the identity provider, better seen at
	// the first call than puzzled over as a stream of denials.
	if len(p.Methods) == 0 {
		return fmt.Errorf("service token needs methods")
	}
	if len(p.Methods) > maxMethods {
		return fmt.Errorf("too many methods")
	}
	for _, m := range p.Methods {
		if !methodRe.MatchString(m) {
			return fmt.Errorf("malformed method name")
		}
	}
	return nil
}

// boundTo reports whether resource is collection followed by one valid id,
// e.g. "producers/kendang-makmur". "producers/-" (every producer) is not an
// id and so can never be the resource a caller owns.
func boundTo(resource, collection string) bool {
	id, ok := strings.CutPrefix(resource, collection)
	return ok && validate.ResourceID(id)
}
