// Package config reads the server's configuration from flags and TEMUBISNIS_*
// environment variables. A flag given on the command line wins over the
// environment, which wins over the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
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
	HTTPAddr        string
	GRPCAddr        string
	MongoURI        string // empty: start the embedded FerretDB
	Database        string
	DataDir         string
	Seed            string
	LogLevel        slog.Level
	LogFormat       string // text or json
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	// VocabularyFile extends the built-in multilingual search vocabulary.
	VocabularyFile string
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
}

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

// SeedRequirements reports whether the seed requirement catalogue goes into
// an empty requirements collection. It is reference data the trade office
// then maintains, so it is loaded everywhere unless seeding is off.
func (c Config) SeedRequirements() bool { return c.Seed != SeedNone }

// Parse reads args (without the program name) and the environment.
func Parse(args []string, getenv func(string) string) (Config, error) {
	fs := flag.NewFlagSet("temubisnis", flag.ContinueOnError)
	env := func(name, def string) string {
		if v := getenv("TEMUBISNIS_" + name); v != "" {
			return v
		}
		return def
	}
	var c Config
	var level, reqTimeout, shutdownTimeout string
	fs.StringVar(&c.HTTPAddr, "http-addr", env("HTTP_ADDR", ":8080"), "REST gateway, OpenAPI, health and metrics listen address (TEMUBISNIS_HTTP_ADDR)")
	fs.StringVar(&c.GRPCAddr, "grpc-addr", env("GRPC_ADDR", ":9090"), "gRPC listen address (TEMUBISNIS_GRPC_ADDR)")
	fs.StringVar(&c.MongoURI, "mongodb-uri", env("MONGODB_URI", ""), "MongoDB connection URI; empty starts the embedded FerretDB (TEMUBISNIS_MONGODB_URI)")
	fs.StringVar(&c.Database, "database", env("DATABASE", "temubisnis"), "database name (TEMUBISNIS_DATABASE)")
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./data"), "directory of the embedded database's files (TEMUBISNIS_DATA_DIR)")
	fs.StringVar(&c.Seed, "seed", env("SEED", SeedAuto), "demo, synthetic or none; default: demo data for the embedded database only (TEMUBISNIS_SEED)")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (TEMUBISNIS_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "text"), "text or json (TEMUBISNIS_LOG_FORMAT)")
	fs.StringVar(&reqTimeout, "request-timeout", env("REQUEST_TIMEOUT", "10s"), "deadline of a request that has none (TEMUBISNIS_REQUEST_TIMEOUT)")
	fs.StringVar(&shutdownTimeout, "shutdown-timeout", env("SHUTDOWN_TIMEOUT", "15s"), "time to finish requests on SIGTERM (TEMUBISNIS_SHUTDOWN_TIMEOUT)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", 1<<20, "largest accepted REST request body in bytes")
	fs.StringVar(&c.VocabularyFile, "vocabulary-file", env("VOCABULARY_FILE", ""), "JSON file extending the built-in search vocabulary (TEMUBISNIS_VOCABULARY_FILE)")
	fs.BoolVar(&c.Pprof, "pprof", env("PPROF", "") == "true", "serve /debug/pprof/ for profiling; keep off in production (TEMUBISNIS_PPROF=true)")
	var proposalTTL, maxOpen string
	fs.StringVar(&proposalTTL, "proposal-ttl", env("PROPOSAL_TTL", "336h"), "how long a match proposal waits for answers (TEMUBISNIS_PROPOSAL_TTL)")
	fs.StringVar(&maxOpen, "max-open-proposals", env("MAX_OPEN_PROPOSALS", "10"), "open match proposals one producer can hold (TEMUBISNIS_MAX_OPEN_PROPOSALS)")
	fs.StringVar(&c.MatchWeights, "match-weights", env("MATCH_WEIGHTS", ""), "weights of the matching criteria, e.g. price=0.3,trust=0.1 (TEMUBISNIS_MATCH_WEIGHTS)")
	var synthetic string
	fs.StringVar(&synthetic, "synthetic-listings", env("SYNTHETIC_LISTINGS", "100000"), "listings generated by -seed synthetic (TEMUBISNIS_SYNTHETIC_LISTINGS)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	var errs []error
	var err error
	if n, err := strconv.Atoi(synthetic); err != nil || n < 1 || n > 5_000_000 {
		errs = append(errs, fmt.Errorf("synthetic listings %q: want a number from 1 to 5000000", synthetic))
	} else {
		c.SyntheticListings = n
	}
	if c.ProposalTTL, err = time.ParseDuration(proposalTTL); err != nil || c.ProposalTTL < time.Hour {
		errs = append(errs, fmt.Errorf("proposal ttl %q: want a duration of at least 1h, e.g. 336h", proposalTTL))
	}
	if n, err := strconv.Atoi(maxOpen); err != nil || n < 1 || n > 10000 {
		errs = append(errs, fmt.Errorf("max open proposals %q: want a number from 1 to 10000", maxOpen))
	} else {
		c.MaxOpenProposals = n
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
	errs = append(errs, c.validate())
	return c, errors.Join(errs...)
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
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("max body bytes: must be positive"))
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
		slog.Bool("seed_demo", c.SeedDemo()),
		slog.String("log_level", c.LogLevel.String()),
		slog.Duration("request_timeout", c.RequestTimeout),
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

// Getenv is os.Getenv, for Parse.
var Getenv = os.Getenv
