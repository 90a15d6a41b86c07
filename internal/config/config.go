// Package config reads the server's configuration from flags and TEMUBISNIS_*
// environment variables. A flag given on the command line wins over the
// environment, which wins over the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/adiekspor/temubisnis/internal/catalogsync"
	"github.com/adiekspor/temubisnis/internal/matching"
)

// Seed modes.
const (
	SeedAuto      = ""          // demo data for the embedded database, nothing otherwise
	SeedDemo      = "demo"      // load the demo data into an empty database
	SeedSynthetic = "synthetic" // load a generated catalogue of SyntheticListings listings
	SeedNone      = "none"      // never load anything, not even the requirement catalogue
)

// Config is the whole configuration of the server.
type Config struct {
	HTTPAddr string
	GRPCAddr string
	MongoURI string // empty: start the embedded FerretDB
	Database string
	DataDir  string
	Seed     string
	// DemoDeals adds a made-up history of closed deals (2023-2026) to the
	// demo data, for the export statistics (see seed.DealHistory).
	DemoDeals       bool
	LogLevel        slog.Level
	LogFormat       string // text or json
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	// VocabularyFile extends the built-in multilingual search vocabulary.
	VocabularyFile string
	// SearchCacheEntries is how many distinct searches keep their whole
	// answer until the catalogue next changes (catalog.Index.CacheResults);
	// 0 keeps none.
	SearchCacheEntries int
	// SyntheticListings is the size of the generated catalogue of
	// -seed synthetic.
	SyntheticListings int
	// ProposalTTL is how long a match proposal waits for answers.
	ProposalTTL time.Duration
	// MaxOpenProposals caps the open proposals one producer can hold.
	MaxOpenProposals int
	// MatchWeights are the weights of the matching criteria,
	// "criterion=weight,..." (see matching.ParseWeights); empty = defaults.
	MatchWeights string
	// Pprof serves net/http/pprof under /debug/pprof/ on the HTTP listener.
	Pprof bool
	// MemoryLimit is the Go runtime's soft memory limit in bytes
	// (debug.SetMemoryLimit); 0 leaves the runtime's own (GOMEMLIMIT, or
	// none). The garbage collector works harder as the heap nears it,
	// instead of letting the heap grow to twice what is live.
	MemoryLimit int64
	// SnapshotFile is where the search catalogue's snapshot is kept (see
	// SnapshotPath): empty for the default, "off" for none.
	SnapshotFile string
	// SnapshotInterval is how often the catalogue snapshot is brought up
	// to date; it must stay below catalogsync.MaxSnapshotInterval of the
	// change log's retention.
	SnapshotInterval time.Duration
	// SearchJSONCacheBytes bounds the cached JSON of listings and producer
	// summaries that REST search responses are spliced from.
	SearchJSONCacheBytes int64

	// AuthIssuer and AuthAudience are the "iss" and "aud" every token must
	// carry.
	AuthIssuer, AuthAudience string
	// AuthJWKSURL and AuthKeyFile are the identity provider's public keys.
	// With neither, tokens are verified with the local key in DataDir
	// (LocalTokens reports that), which `temubisnis token` signs with.
	AuthJWKSURL, AuthKeyFile string
	// RateLimitAddress and RateLimitCaller are the sustained requests per
	// second allowed per client address and per token subject (bursts of
	// twice that); 0 turns a limit off.
	RateLimitAddress, RateLimitCaller float64
	// CORSOrigins are the browser origins allowed to call the REST API.
	CORSOrigins string
	// TLSCertFile and TLSKeyFile turn on TLS for both listeners.
	TLSCertFile, TLSKeyFile string
	// TrustedProxies are the addresses (CIDR prefixes) of reverse proxies
	// whose X-Forwarded-For entries are believed.
	TrustedProxies []netip.Prefix
	// AuditRetention is how long audit events are kept; 0 keeps them.
	AuditRetention time.Duration
	// Notify configures notifications (notify.go).
	Notify Notify

	// Web turns the web app on at "/" of the HTTP listener.
	Web bool
	// WebSessionTTL is how long a web sign-in lasts.
	WebSessionTTL time.Duration
	// OIDCIssuerURL, OIDCClientID, OIDCClientSecret and OIDCRedirectURL sign
	// people in to the web app at an OpenID Connect provider (the one whose
	// tokens the API trusts). Without them, the demo sign-in is offered
	// when tokens are local, and no sign-in otherwise.
	OIDCIssuerURL, OIDCClientID, OIDCClientSecret, OIDCRedirectURL string
	// MaxTokenLifetime is the longest validity (exp-iat) a bearer token
	// may have; longer-lived tokens are refused.
	MaxTokenLifetime time.Duration
}

// LocalTokens reports whether tokens are signed and verified with the key
// kept in the data directory (no identity provider configured).
func (c Config) LocalTokens() bool { return c.AuthJWKSURL == "" && c.AuthKeyFile == "" }

// Embedded reports whether the server runs its own FerretDB.
func (c Config) Embedded() bool { return c.MongoURI == "" }

// SeedDemo reports whether the demo data should be loaded into an empty
// database: by default only into the embedded one, never into an external
// database unless asked.
func (c Config) SeedDemo() bool {
	switch c.Seed {
	case SeedDemo:
		return true
	case SeedNone, SeedSynthetic:
		return false
	default:
		return c.Embedded()
	}
}

// SnapshotOff turns the catalogue snapshot off.
const SnapshotOff = "off"

// SnapshotPath is the file the search catalogue is snapshotted to and
// started from, or "" for none. By default the embedded database keeps it
// in the data directory; with an external MongoDB it is off unless a path
// is given, since replicas share the database but must not share a
// snapshot, and a container's data directory may be shared or thrown away.
func (c Config) SnapshotPath() string {
	switch {
	case c.SnapshotFile == SnapshotOff:
		return ""
	case c.SnapshotFile != "":
		return c.SnapshotFile
	case c.Embedded() && c.DataDir != "":
		return filepath.Join(c.DataDir, "catalogue.snapshot")
	default:
		return ""
	}
}

// SeedRequirements reports whether the seed requirement catalogue goes into
// an empty requirements collection. It is reference data the trade office
// then maintains, so it is loaded everywhere unless seeding is off.
func (c Config) SeedRequirements() bool { return c.Seed != SeedNone }

// ErrUsage is returned by Parse for a command line it cannot read: an
// unknown flag, or an argument that is not a flag (the server takes none, and
// a misspelt subcommand must not start it).
var ErrUsage = errors.New("bad command line")

// Parse reads args (without the program name) and the environment.
func Parse(args []string, getenv func(string) string) (Config, error) {
	return ParseOutput(args, getenv, os.Stderr)
}

// ParseOutput is Parse printing flag errors and -h's list of flags to out.
func ParseOutput(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	fs := flag.NewFlagSet("temubisnis", flag.ContinueOnError)
	fs.SetOutput(out)
	env := func(name, def string) string {
		if v := getenv("TEMUBISNIS_" + name); v != "" {
			return v
		}
		return def
	}
	var c Config
	var level, reqTimeout, shutdownTimeout, webSession string
	fs.StringVar(&c.HTTPAddr, "http-addr", env("HTTP_ADDR", ":8080"), "REST gateway, OpenAPI, health and metrics listen address (TEMUBISNIS_HTTP_ADDR)")
	fs.StringVar(&c.GRPCAddr, "grpc-addr", env("GRPC_ADDR", ":9090"), "gRPC listen address (TEMUBISNIS_GRPC_ADDR)")
	fs.StringVar(&c.MongoURI, "mongodb-uri", env("MONGODB_URI", ""), "MongoDB connection URI; empty starts the embedded FerretDB (TEMUBISNIS_MONGODB_URI)")
	fs.StringVar(&c.Database, "database", env("DATABASE", "temubisnis"), "database name (TEMUBISNIS_DATABASE)")
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./data"), "directory of the embedded database's files (TEMUBISNIS_DATA_DIR)")
	fs.StringVar(&c.Seed, "seed", env("SEED", SeedAuto), "demo, synthetic or none; default: demo data for the embedded database only (TEMUBISNIS_SEED)")
	fs.BoolVar(&c.DemoDeals, "demo-deals", env("DEMO_DEALS", "true") != "false", "with the demo data, a history of closed deals (2023-2026) for the export statistics; -demo-deals=false leaves it out (TEMUBISNIS_DEMO_DEALS)")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (TEMUBISNIS_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "text or json (TEMUBISNIS_LOG_FORMAT)")
	fs.StringVar(&reqTimeout, "request-timeout", env("REQUEST_TIMEOUT", "10s"), "deadline of a request that has none (TEMUBISNIS_REQUEST_TIMEOUT)")
	fs.StringVar(&shutdownTimeout, "shutdown-timeout", env("SHUTDOWN_TIMEOUT", "15s"), "time to finish requests on SIGTERM (TEMUBISNIS_SHUTDOWN_TIMEOUT)")
	var maxBody string
	fs.StringVar(&maxBody, "max-body-bytes", env("MAX_BODY_BYTES", "1048576"), "largest accepted request body (REST) or message (gRPC) in bytes (TEMUBISNIS_MAX_BODY_BYTES)")
	fs.StringVar(&c.VocabularyFile, "vocabulary-file", env("VOCABULARY_FILE", ""), "JSON file extending the built-in search vocabulary (TEMUBISNIS_VOCABULARY_FILE)")
	var searchCache string
	fs.StringVar(&searchCache, "search-cache-entries", env("SEARCH_CACHE_ENTRIES", "128"), "distinct searches whose whole answer is kept until the catalogue changes, about 40 KB each and as much again for its REST JSON; 0 keeps none (TEMUBISNIS_SEARCH_CACHE_ENTRIES)")
	fs.StringVar(&c.SnapshotFile, "snapshot-file", env("SNAPSHOT_FILE", ""), "file the search catalogue starts from after a restart; default <data-dir>/catalogue.snapshot with the embedded database, none with an external one; off turns it off (TEMUBISNIS_SNAPSHOT_FILE)")
	fs.BoolVar(&c.Pprof, "pprof", env("PPROF", "") == "true", "serve /debug/pprof/ for profiling; keep off in production (TEMUBISNIS_PPROF=true)")
	var memLimit string
	fs.StringVar(&memLimit, "memory-limit", env("MEMORY_LIMIT", "0"), "soft memory limit of the Go runtime, e.g. 250MiB or 1GiB; 0 leaves GOMEMLIMIT or none (TEMUBISNIS_MEMORY_LIMIT)")
	var snapshotInterval string
	fs.StringVar(&snapshotInterval, "snapshot-interval", env("SNAPSHOT_INTERVAL", "2m"), "how often the catalogue snapshot is brought up to date, at least 10s and below the change log's retention minus its margin (TEMUBISNIS_SNAPSHOT_INTERVAL)")
	var searchJSONCache string
	fs.StringVar(&searchJSONCache, "search-json-cache-bytes", env("SEARCH_JSON_CACHE_BYTES", "32MiB"), "memory for the cached JSON of listings and producers in REST search responses, e.g. 32MiB (TEMUBISNIS_SEARCH_JSON_CACHE_BYTES)")
	var proposalTTL, maxOpen string
	fs.StringVar(&proposalTTL, "proposal-ttl", env("PROPOSAL_TTL", "336h"), "how long a match proposal waits for answers (TEMUBISNIS_PROPOSAL_TTL)")
	fs.StringVar(&maxOpen, "max-open-proposals", env("MAX_OPEN_PROPOSALS", "10"), "open match proposals one producer can hold (TEMUBISNIS_MAX_OPEN_PROPOSALS)")
	fs.StringVar(&c.MatchWeights, "match-weights", env("MATCH_WEIGHTS", ""), "weights of the matching criteria, e.g. price=0.3,trust=0.1 (TEMUBISNIS_MATCH_WEIGHTS)")
	fs.StringVar(&c.AuthIssuer, "auth-issuer", env("AUTH_ISSUER", "temubisnis-local"), "required token issuer, the iss claim (TEMUBISNIS_AUTH_ISSUER)")
	fs.StringVar(&c.AuthAudience, "auth-audience", env("AUTH_AUDIENCE", "temubisnis"), "required token audience, the aud claim (TEMUBISNIS_AUTH_AUDIENCE)")
	fs.StringVar(&c.AuthJWKSURL, "auth-jwks-url", env("AUTH_JWKS_URL", ""), "identity provider's JWKS URL (TEMUBISNIS_AUTH_JWKS_URL)")
	fs.StringVar(&c.AuthKeyFile, "auth-key-file", env("AUTH_KEY_FILE", ""), "PEM file of the identity provider's public keys (TEMUBISNIS_AUTH_KEY_FILE); with no JWKS URL and no key file, the local key in the data dir")
	var rateAddr, rateCaller string
	fs.StringVar(&rateAddr, "rate-limit-address", env("RATE_LIMIT_ADDRESS", "50"), "requests per second per client address, bursts of twice that; 0 is unlimited (TEMUBISNIS_RATE_LIMIT_ADDRESS)")
	fs.StringVar(&rateCaller, "rate-limit-caller", env("RATE_LIMIT_CALLER", "20"), "requests per second per token subject, bursts of twice that; 0 is unlimited (TEMUBISNIS_RATE_LIMIT_CALLER)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", env("CORS_ORIGINS", ""), "comma-separated browser origins allowed to call the REST API, e.g. https://adiekspor.blitarkab.go.id (TEMUBISNIS_CORS_ORIGINS)")
	fs.StringVar(&c.TLSCertFile, "tls-cert-file", env("TLS_CERT_FILE", ""), "PEM certificate chain; with -tls-key-file turns on TLS for both listeners (TEMUBISNIS_TLS_CERT_FILE)")
	fs.StringVar(&c.TLSKeyFile, "tls-key-file", env("TLS_KEY_FILE", ""), "PEM private key of -tls-cert-file (TEMUBISNIS_TLS_KEY_FILE)")
	var proxies, auditRetention string
	fs.StringVar(&auditRetention, "audit-retention", env("AUDIT_RETENTION", "0"), "how long audit events are kept, e.g. 8760h; 0 keeps them forever (TEMUBISNIS_AUDIT_RETENTION)")
	fs.StringVar(&proxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated IPs or CIDR prefixes of reverse proxies whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 (TEMUBISNIS_TRUSTED_PROXIES)")
	var maxTokenLifetime string
	fs.StringVar(&maxTokenLifetime, "max-token-lifetime", env("MAX_TOKEN_LIFETIME", "24h"), "longest accepted bearer token lifetime, exp minus iat (TEMUBISNIS_MAX_TOKEN_LIFETIME)")
	var synthetic string
	fs.BoolVar(&c.Web, "web", env("WEB", "true") != "false", "serve the web app at / on the HTTP listener (TEMUBISNIS_WEB)")
	fs.StringVar(&webSession, "web-session-ttl", env("WEB_SESSION_TTL", "8h"), "how long a web sign-in lasts, 5m to 24h (TEMUBISNIS_WEB_SESSION_TTL)")
	fs.StringVar(&c.OIDCIssuerURL, "oidc-issuer-url", env("OIDC_ISSUER_URL", ""), "OpenID Connect provider of the web sign-in (TEMUBISNIS_OIDC_ISSUER_URL)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", env("OIDC_CLIENT_ID", ""), "the web app's client id at the provider (TEMUBISNIS_OIDC_CLIENT_ID)")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", env("OIDC_CLIENT_SECRET", ""), "the web app's client secret, if the provider gave one (TEMUBISNIS_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDCRedirectURL, "oidc-redirect-url", env("OIDC_REDIRECT_URL", ""), "this site's /signin/callback as registered at the provider, e.g. https://temubisnis.example/signin/callback (TEMUBISNIS_OIDC_REDIRECT_URL)")
	fs.StringVar(&synthetic, "synthetic-listings", env("SYNTHETIC_LISTINGS", "100000"), "listings generated by -seed synthetic (TEMUBISNIS_SYNTHETIC_LISTINGS)")
	notifyDone := c.Notify.flags(fs, env)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("%w: unexpected argument %q", ErrUsage, fs.Arg(0))
	}
	var errs []error
	var err error
	if n, err := strconv.Atoi(synthetic); err != nil || n < 1 || n > 5_000_000 {
		errs = append(errs, fmt.Errorf("synthetic listings %q: want a number from 1 to 5000000", synthetic))
	} else {
		c.SyntheticListings = n
	}
	if n, err := strconv.ParseInt(maxBody, 10, 64); err != nil || n < 1024 || n > 64<<20 {
		errs = append(errs, fmt.Errorf("max body bytes %q: want a number of bytes from 1024 to 67108864", maxBody))
	} else {
		c.MaxBodyBytes = n
	}
	errs = append(errs, c.parseCatalogue(searchCache, snapshotInterval, searchJSONCache)...)
	if n, err := ParseBytes(memLimit); err != nil || (n != 0 && n < 32<<20) {
		errs = append(errs, fmt.Errorf("memory limit %q: want 0 (none) or a size of at least 32MiB, such as 250MiB or 2GiB", memLimit))
	} else {
		c.MemoryLimit = n
	}
	if c.ProposalTTL, err = time.ParseDuration(proposalTTL); err != nil || c.ProposalTTL < time.Hour {
		errs = append(errs, fmt.Errorf("proposal ttl %q: want a duration of at least 1h, e.g. 336h", proposalTTL))
	}
	if n, err := strconv.Atoi(maxOpen); err != nil || n < 1 || n > 10000 {
		errs = append(errs, fmt.Errorf("max open proposals %q: want a number from 1 to 10000", maxOpen))
	} else {
		c.MaxOpenProposals = n
	}
	// Checked here, before the database starts; app parses them again.
	if _, err := matching.ParseWeights(c.MatchWeights); err != nil {
		errs = append(errs, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", level))
	}
	if c.RequestTimeout, err = time.ParseDuration(reqTimeout); err != nil || c.RequestTimeout <= 0 {
		errs = append(errs, fmt.Errorf("request timeout %q: want a positive duration such as 10s", reqTimeout))
	}
	if c.ShutdownTimeout, err = time.ParseDuration(shutdownTimeout); err != nil || c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("shutdown timeout %q: want a positive duration such as 15s", shutdownTimeout))
	}
	for _, r := range []struct {
		name, raw string
		dst       *float64
	}{{"rate limit address", rateAddr, &c.RateLimitAddress}, {"rate limit caller", rateCaller, &c.RateLimitCaller}} {
		f, err := strconv.ParseFloat(r.raw, 64)
		if err != nil || f < 0 || f > 1e6 || f != f {
			errs = append(errs, fmt.Errorf("%s %q: want requests per second from 0 (unlimited) to 1000000", r.name, r.raw))
		}
		*r.dst = f
	}
	if d, err := time.ParseDuration(auditRetention); err != nil || (d != 0 && d < 24*time.Hour) {
		errs = append(errs, fmt.Errorf("audit retention %q: want 0 (keep forever) or a duration of at least 24h, e.g. 8760h", auditRetention))
	} else {
		c.AuditRetention = d
	}
	if d, err := time.ParseDuration(maxTokenLifetime); err != nil || d < time.Minute || d > 30*24*time.Hour {
		errs = append(errs, fmt.Errorf("max token lifetime %q: want a duration from 1m to 720h, e.g. 24h", maxTokenLifetime))
	} else {
		c.MaxTokenLifetime = d
	}
	for _, p := range strings.Split(proxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				c.TrustedProxies = append(c.TrustedProxies, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
				continue
			}
		}
		prefix, err := netip.ParsePrefix(p)
		if err == nil && prefix.Addr().Is4In6() {
			// Client addresses are compared unmapped, so the prefix is too.
			if prefix.Bits() < 96 {
				err = errors.New("an IPv4-mapped prefix needs at least 96 bits")
			} else {
				prefix = netip.PrefixFrom(prefix.Addr().Unmap(), prefix.Bits()-96)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("trusted proxies: %q is not an IP address or CIDR prefix such as 10.0.0.0/8", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}
	if d, err := time.ParseDuration(webSession); err != nil || d < 5*time.Minute || d > 24*time.Hour {
		errs = append(errs, fmt.Errorf("web session ttl %q: want a duration from 5m to 24h, e.g. 8h", webSession))
	} else {
		c.WebSessionTTL = d
	}
	errs = append(errs, notifyDone(), c.validate())
	return c, errors.Join(errs...)
}

// parseCatalogue reads the settings of the search catalogue's caches and
// snapshot (ParseOutput would be too long to follow with them).
func (c *Config) parseCatalogue(searchCache, snapshotInterval, searchJSONCache string) []error {
	var errs []error
	if n, err := strconv.Atoi(searchCache); err != nil || n < 0 || n > 100_000 {
		errs = append(errs, fmt.Errorf("search cache entries %q: want a number from 0 (none) to 100000", searchCache))
	} else {
		c.SearchCacheEntries = n
	}
	if d, err := time.ParseDuration(snapshotInterval); err != nil || d < 10*time.Second {
		errs = append(errs, fmt.Errorf("snapshot interval %q: want a duration of at least 10s, e.g. 2m", snapshotInterval))
	} else {
		c.SnapshotInterval = d
	}
	if n, err := ParseBytes(searchJSONCache); err != nil || n < 1<<20 || n > 16<<30 {
		errs = append(errs, fmt.Errorf("search json cache bytes %q: want a size from 1MiB to 16GiB, such as 32MiB", searchJSONCache))
	} else {
		c.SearchJSONCacheBytes = n
	}
	return errs
}

func (c Config) validate() error {
	var errs []error
	for name, addr := range map[string]string{"http address": c.HTTPAddr, "grpc address": c.GRPCAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want host:port, e.g. :8080", name, addr))
		}
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		errs = append(errs, errors.New("mongodb uri: want mongodb:// or mongodb+srv://"))
	}
	if c.Database == "" || strings.ContainsAny(c.Database, "/\\. \"$") {
		errs = append(errs, fmt.Errorf("database %q: want a plain name", c.Database))
	}
	if c.Embedded() && c.DataDir == "" {
		errs = append(errs, errors.New("data dir: required for the embedded database"))
	}
	switch c.Seed {
	case SeedAuto, SeedDemo, SeedSynthetic, SeedNone:
	default:
		errs = append(errs, fmt.Errorf("seed %q: want demo, synthetic or none", c.Seed))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log format %q: want text or json", c.LogFormat))
	}
	if maxSnap := catalogsync.MaxSnapshotInterval(catalogsync.DefaultRetention); c.SnapshotInterval >= maxSnap {
		errs = append(errs, fmt.Errorf("snapshot interval (-snapshot-interval, TEMUBISNIS_SNAPSHOT_INTERVAL) %s: must be below %s, the change log's retention (%s) minus the margin a snapshot needs to be caught up from (%s); a snapshot a crash leaves would be too old to use",
			c.SnapshotInterval, maxSnap, catalogsync.DefaultRetention, catalogsync.RetentionMargin))
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs = append(errs, errors.New("tls: give both a certificate file and a key file, or neither"))
	}
	if c.AuthIssuer == "" || c.AuthAudience == "" {
		errs = append(errs, errors.New("auth: issuer and audience must not be empty"))
	}
	if c.LocalTokens() && c.DataDir == "" {
		errs = append(errs, errors.New("data dir: required for the local token key (or configure -auth-jwks-url or -auth-key-file)"))
	}
	if c.OIDCIssuerURL != "" || c.OIDCClientID != "" || c.OIDCRedirectURL != "" {
		if c.OIDCIssuerURL == "" || c.OIDCClientID == "" || c.OIDCRedirectURL == "" {
			errs = append(errs, errors.New("oidc: give the issuer URL, the client id and the redirect URL together"))
		}
		for name, raw := range map[string]string{"oidc issuer url": c.OIDCIssuerURL, "oidc redirect url": c.OIDCRedirectURL} {
			if u, err := url.Parse(raw); raw != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
				errs = append(errs, fmt.Errorf("%s %q: want an http(s) URL", name, raw))
			}
		}
	}
	return errors.Join(errs...)
}

// LogValue prints the configuration with the password of the MongoDB URI
// masked, for the start-up log line.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("http_addr", c.HTTPAddr),
		slog.String("grpc_addr", c.GRPCAddr),
		slog.String("mongodb_uri", maskURI(c.MongoURI)),
		slog.String("database", c.Database),
		slog.String("data_dir", c.DataDir),
		slog.String("snapshot_file", c.SnapshotPath()),
		slog.Duration("snapshot_interval", c.SnapshotInterval),
		slog.Any("notify", c.Notify),
		slog.Bool("seed_demo", c.SeedDemo()),
		slog.Bool("demo_deals", c.DemoDeals),
		slog.String("log_level", c.LogLevel.String()),
		slog.Int64("memory_limit", c.MemoryLimit),
		slog.Int64("search_json_cache_bytes", c.SearchJSONCacheBytes),
		slog.Int("search_cache_entries", c.SearchCacheEntries),
		slog.Duration("request_timeout", c.RequestTimeout),
		slog.String("auth_issuer", c.AuthIssuer),
		slog.Bool("local_tokens", c.LocalTokens()),
		slog.Duration("max_token_lifetime", c.MaxTokenLifetime),
		slog.Float64("rate_limit_address", c.RateLimitAddress),
		slog.Float64("rate_limit_caller", c.RateLimitCaller),
		slog.String("cors_origins", c.CORSOrigins),
		slog.Bool("tls", c.TLSCertFile != ""),
		slog.Bool("web", c.Web),
		slog.String("oidc_issuer_url", c.OIDCIssuerURL),
	)
}

func maskURI(uri string) string {
	if uri == "" {
		return "(embedded)"
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparseable, hidden)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// ParseBytes reads a size the way GOMEMLIMIT does: a whole number of bytes
// with an optional unit B, KiB, MiB, GiB or TiB ("250MiB").
func ParseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	num, shift := strings.TrimSpace(s), uint(0)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("size %q: want a whole number of bytes with an optional unit B, KiB, MiB, GiB or TiB", s)
	}
	return n << shift, nil
}

// Getenv is os.Getenv, for Parse.
var Getenv = os.Getenv
