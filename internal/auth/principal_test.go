package auth

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoleString(t *testing.T) {
	tests := []struct {
		role Role
		want string
	}{
		{RoleAnonymous, "anonymous"},
		{RoleProducer, "producer"},
		{RoleBuyer, "buyer"},
		{RoleTradeOffice, "trade_office"},
		{RoleService, "service"},
		{Role(42), "Role(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.role.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseRoleRoundTrip(t *testing.T) {
	for _, r := range []Role{RoleProducer, RoleBuyer, RoleTradeOffice, RoleService} {
		got, ok := parseRole(r.String())
		if !ok || got != r {
			t.Errorf("parseRole(%q) = %v, %v", r.String(), got, ok)
		}
	}
	for _, s := range []string{"", "anonymous", "admin", "PRODUCER", "Role(42)"} {
		if got, ok := parseRole(s); ok {
			t.Errorf("parseRole(%q) = %v, want refusal", s, got)
		}
	}
}

func TestContext(t *testing.T) {
	producer := Principal{Subject: "u-1", Role: RoleProducer, Resource: "producers/kendang-makmur"}
	tests := []struct {
		name string
		ctx  context.Context
		want Principal
	}{
		{"nothing stored", context.Background(), Anonymous()},
		{"stored", WithPrincipal(context.Background(), producer), producer},
		{"innermost wins", WithPrincipal(WithPrincipal(context.Background(), producer), Anonymous()), Anonymous()},
		{"survives derived contexts", context.WithValue(WithPrincipal(context.Background(), producer), struct{ k int }{}, 1), producer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, FromContext(tt.ctx)); diff != "" {
				t.Errorf("FromContext (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAnonymousIsZero: the zero Principal grants least privilege.
func TestAnonymousIsZero(t *testing.T) {
	if diff := cmp.Diff(Principal{}, Anonymous()); diff != "" {
		t.Errorf("Anonymous() differs from the zero Principal:\n%s", diff)
	}
}
