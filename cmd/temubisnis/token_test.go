package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/auth"
)

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	var out, errs bytes.Buffer
	// No key yet: the server has never run with this directory.
	err := runToken([]string{"-data-dir", dir, "-role", "trade_office"}, env, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "start the server once") {
		t.Fatalf("without a key: %v", err)
	}
	if _, err := auth.LoadOrCreateSigningKey(dir); err != nil { // as the server does
		t.Fatal(err)
	}
	out.Reset()
	if err := runToken([]string{"-data-dir", dir, "-role", "producer", "-resource", "producers/kendang-jaya-nglegok"}, env, &out, &errs); err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewVerifier(auth.VerifierOptions{Issuer: "temubisnis-local", Audience: "temubisnis", KeyFile: filepath.Join(dir, auth.PublicKeyFile), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(strings.TrimSpace(out.String()))
	if err != nil || p.Role != auth.RoleProducer || p.Resource != "producers/kendang-jaya-nglegok" {
		t.Errorf("minted token: %+v, %v", p, err)
	}
	for _, bad := range [][]string{
		{"-role", "admin"},
		{"-role", "producer"}, // no resource
		{"-role", "buyer", "-resource", "producers/x"},
		{"-role", "trade_office", "-ttl", "1ns"},
		{"-role", "service"}, // no methods
		{"-role", "trade_office", "extra"},
	} {
		if err := runToken(append([]string{"-data-dir", dir}, bad...), env, &out, &errs); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	jwks := func(k string) string {
		if k == "TEMUBISNIS_AUTH_JWKS_URL" {
			return "https://idp.example/jwks"
		}
		return ""
	}
	if err := runToken([]string{"-data-dir", dir, "-role", "trade_office"}, jwks, &out, &errs); err == nil {
		t.Error("minted local tokens although an identity provider is configured")
	}
}
