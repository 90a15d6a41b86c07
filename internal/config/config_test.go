package config

import (
	"strings"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/catalogsync"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Parse(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.GRPCAddr != ":9090" || c.Database != "temubisnis" || c.DataDir != "./data" {
		t.Fatalf("defaults = %+v", c)
	}
	if !c.Embedded() || !c.SeedDemo() {
		t.Fatalf("default should be embedded with demo data: %+v", c)
	}
	if c.RequestTimeout != 10*time.Second {
		t.Fatalf("request timeout = %v", c.RequestTimeout)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	e := env(map[string]string{
		"TEMUBISNIS_HTTP_ADDR":   "127.0.0.1:18080",
		"TEMUBISNIS_MONGODB_URI": "mongodb://app:s3cret@db.example:27017/",
		"TEMUBISNIS_DATABASE":    "prod",
	})
	c, err := Parse([]string{"-http-addr", "127.0.0.1:28080"}, e)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:28080" {
		t.Errorf("flag should win over env: %q", c.HTTPAddr)
	}
	if c.Database != "prod" || c.Embedded() {
		t.Errorf("env not applied: %+v", c)
	}
	if c.SeedDemo() {
		t.Error("an external database must not be seeded unless asked")
	}
	if s := c.LogValue().String(); strings.Contains(s, "s3cret") {
		t.Errorf("password leaked into log value: %s", s)
	}
}

func TestInvalid(t *testing.T) {
	tests := map[string]map[string]string{
		"seed":      {"TEMUBISNIS_SEED": "lots"},
		"http addr": {"TEMUBISNIS_HTTP_ADDR": "8080"},
		"uri":       {"TEMUBISNIS_MONGODB_URI": "postgres://x"},
		"database":  {"TEMUBISNIS_DATABASE": "a.b"},
		"timeout":   {"TEMUBISNIS_REQUEST_TIMEOUT": "-1s"},
		"log level": {"TEMUBISNIS_LOG_LEVEL": "loud"},
	}
	for name, m := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(nil, env(m)); err == nil {
				t.Fatalf("Parse accepted %v", m)
			}
		})
	}
}

func TestAccessOptions(t *testing.T) {
	none := func(string) string { return "" }
	c, err := Parse([]string{"-trusted-proxies", "10.0.0.0/8, 192.0.2.7, ::ffff:198.51.100.0/120", "-rate-limit-address", "0", "-rate-limit-caller", "2.5"}, none)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 198.51.100.0/24" {
		t.Errorf("trusted proxies %v", got)
	}
	if c.RateLimitAddress != 0 || c.RateLimitCaller != 2.5 || !c.LocalTokens() || c.AuthIssuer != "temubisnis-local" {
		t.Errorf("config %+v", c)
	}
	for _, bad := range [][]string{
		{"-trusted-proxies", "10.0.0.0/33"},
		{"-trusted-proxies", "proxy.example"},
		{"-rate-limit-address", "-1"},
		{"-rate-limit-caller", "lots"},
		{"-tls-cert-file", "cert.pem"},
		{"-auth-issuer", ""},
		{"-audit-retention", "1h"},
		{"-audit-retention", "forever"},
		{"-max-token-lifetime", "0"},
		{"-max-token-lifetime", "721h"},
		{"-max-token-lifetime", "soon"},
		{"-match-weights", "foo=1"},
		{"-match-weights", "price=lots"},
	} {
		if _, err := Parse(bad, none); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if c, err := Parse(nil, none); err != nil || c.MaxTokenLifetime != 24*time.Hour {
		t.Errorf("default max token lifetime: %v, %v", c.MaxTokenLifetime, err)
	}
	if c, err := Parse([]string{"-max-token-lifetime", "1h"}, none); err != nil || c.MaxTokenLifetime != time.Hour {
		t.Errorf("max token lifetime: %v, %v", c.MaxTokenLifetime, err)
	}
	if c, err := Parse([]string{"-audit-retention", "8760h"}, none); err != nil || c.AuditRetention != 8760*time.Hour {
		t.Errorf("audit retention: %v, %v", c.AuditRetention, err)
	}
	if c, err := Parse([]string{"-auth-jwks-url", "https://idp.example/jwks"}, none); err != nil || c.LocalTokens() {
		t.Errorf("with a JWKS URL: local tokens %v, %v", c.LocalTokens(), err)
	}
}

func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		env, flag string
		want      int64
		bad       bool
	}{
		{want: 0},
		{env: "250MiB", want: 250 << 20},
		{env: "2GiB", want: 2 << 30},
		{env: "1GiB", flag: "300MiB", want: 300 << 20},
		{flag: "104857600", want: 100 << 20},
		{flag: "0", want: 0},
		{flag: "1MiB", bad: true},
		{flag: "250MB", bad: true},
		{flag: "-5GiB", bad: true},
		{flag: "9999999TiB", bad: true},
		{env: "lots", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.env+"/"+tt.flag, func(t *testing.T) {
			var args []string
			if tt.flag != "" {
				args = []string{"-memory-limit", tt.flag}
			}
			c, err := Parse(args, env(map[string]string{"TEMUBISNIS_MEMORY_LIMIT": tt.env}))
			if tt.bad {
				if err == nil || !strings.Contains(err.Error(), "memory limit") {
					t.Fatalf("Parse = %d, %v; want a memory limit error", c.MemoryLimit, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.MemoryLimit != tt.want {
				t.Errorf("MemoryLimit = %d, want %d", c.MemoryLimit, tt.want)
			}
		})
	}
}

func TestSearchJSONCacheBytes(t *testing.T) {
	c, err := Parse(nil, env(nil))
	if err != nil || c.SearchJSONCacheBytes != 32<<20 {
		t.Fatalf("default: %d, %v; want 32MiB", c.SearchJSONCacheBytes, err)
	}
	c, err = Parse([]string{"-search-json-cache-bytes", "8MiB"}, env(nil))
	if err != nil || c.SearchJSONCacheBytes != 8<<20 {
		t.Fatalf("8MiB: %d, %v", c.SearchJSONCacheBytes, err)
	}
	for _, bad := range []string{"0", "512KiB", "lots", "-1MiB"} {
		if _, err := Parse([]string{"-search-json-cache-bytes", bad}, env(nil)); err == nil || !strings.Contains(err.Error(), "search json cache bytes") {
			t.Errorf("%q: %v; want a search json cache bytes error", bad, err)
		}
	}
}

// A snapshot interval must stay below the change log's retention minus
// the margin a snapshot needs, or a snapshot a crash leaves is refused.
func TestSnapshotInterval(t *testing.T) {
	c, err := Parse(nil, env(nil))
	if err != nil || c.SnapshotInterval != 2*time.Minute {
		t.Fatalf("default: %v, %v; want 2m", c.SnapshotInterval, err)
	}
	limit := catalogsync.MaxSnapshotInterval(catalogsync.DefaultRetention)
	for _, tt := range []struct {
		value string
		want  time.Duration
		bad   string
	}{
		{value: "30s", want: 30 * time.Second},
		{value: (limit - time.Second).String(), want: limit - time.Second},
		{value: limit.String(), bad: "must be below " + limit.String()},
		{value: "1h", bad: "must be below"},
		{value: "5s", bad: "at least 10s"},
		{value: "often", bad: "at least 10s"},
	} {
		t.Run(tt.value, func(t *testing.T) {
			c, err := Parse([]string{"-snapshot-interval", tt.value}, env(nil))
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), "snapshot interval") || !strings.Contains(err.Error(), tt.bad) {
					t.Fatalf("Parse = %v, %v; want a snapshot interval error saying %q", c.SnapshotInterval, err, tt.bad)
				}
				return
			}
			if err != nil || c.SnapshotInterval != tt.want {
				t.Fatalf("Parse = %v, %v; want %v", c.SnapshotInterval, err, tt.want)
			}
		})
	}
	// The environment is read too.
	if _, err := Parse(nil, env(map[string]string{"TEMUBISNIS_SNAPSHOT_INTERVAL": "9m"})); err == nil || !strings.Contains(err.Error(), "snapshot interval") {
		t.Errorf("TEMUBISNIS_SNAPSHOT_INTERVAL=9m: %v; want a snapshot interval error", err)
	}
}

func TestSnapshotPath(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "data/catalogue.snapshot"},
		{[]string{"-data-dir", "/var/lib/tb"}, "/var/lib/tb/catalogue.snapshot"},
		{[]string{"-snapshot-file", "off"}, ""},
		{[]string{"-mongodb-uri", "mongodb://db:27017"}, ""},
		{[]string{"-mongodb-uri", "mongodb://db:27017", "-snapshot-file", "/run/tb/cat.snapshot"}, "/run/tb/cat.snapshot"},
	} {
		cfg, err := Parse(c.args, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.SnapshotPath(); got != c.want {
			t.Errorf("%v: snapshot path %q, want %q", c.args, got, c.want)
		}
	}
}
