package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// runToken is `temubisnis token`: it mints a bearer token with the local key
// in the data directory, for development and the demo. Production tokens
// come from the identity provider, so the command refuses to run when one is
// configured (its tokens would not be accepted anyway).
func runToken(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("temubisnis token", flag.ContinueOnError)
	flags.SetOutput(stderr)
	role := flags.String("role", "", "producer, buyer, trade_office or service")
	resource := flags.String("resource", "", "producers/{id} for a producer, buyers/{id} for a buyer")
	subject := flags.String("subject", "", "the token's subject; default: derived from role and resource")
	methods := flags.String("methods", "", "service accounts: comma-separated full gRPC method names, e.g. /temubisnis.v1.SearchService/SearchListings")
	ttl := flags.Duration("ttl", 12*time.Hour, "how long the token is valid (at most the server's -max-token-lifetime, 24h by default)")
	dataDir := flags.String("data-dir", "", "data directory holding the local key (default: as the server, TEMUBISNIS_DATA_DIR or ./data)")
	issuer := flags.String("auth-issuer", "", "the iss claim (default: as the server, TEMUBISNIS_AUTH_ISSUER or temubisnis-local)")
	audience := flags.String("auth-audience", "", "the aud claim (default: as the server, TEMUBISNIS_AUTH_AUDIENCE or temubisnis)")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: temubisnis token -role ROLE [-resource NAME] [flags]\n\nPrints a bearer token signed with the local key, for development and the demo.\nExamples:\n  temubisnis token -role trade_office\n  temubisnis token -role producer -resource producers/kendang-jaya-nglegok\n  temubisnis token -role buyer -resource buyers/heartland-drum-supply")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("token: unexpected argument %q", flags.Arg(0))
	}
	var cfgArgs []string
	for flag, v := range map[string]string{"-data-dir": *dataDir, "-auth-issuer": *issuer, "-auth-audience": *audience} {
		if v != "" {
			cfgArgs = append(cfgArgs, flag, v)
		}
	}
	cfg, err := config.Parse(cfgArgs, getenv)
	if err != nil {
		return err
	}
	if !cfg.LocalTokens() {
		return errors.New("token: an identity provider is configured (TEMUBISNIS_AUTH_JWKS_URL or TEMUBISNIS_AUTH_KEY_FILE); get tokens from it")
	}
	// A token the server would refuse for its lifetime is no use.
	if *ttl < time.Second || *ttl > cfg.MaxTokenLifetime {
		return fmt.Errorf("token: -ttl %s: want a duration from 1s to %s (TEMUBISNIS_MAX_TOKEN_LIFETIME)", *ttl, cfg.MaxTokenLifetime)
	}
	p := auth.Principal{Resource: *resource, Subject: *subject}
	switch *role {
	case "producer":
		p.Role = auth.RoleProducer
	case "buyer":
		p.Role = auth.RoleBuyer
	case "trade_office":
		p.Role = auth.RoleTradeOffice
	case "service":
		p.Role = auth.RoleService
	default:
		return fmt.Errorf("token: -role %q: want producer, buyer, trade_office or service", *role)
	}
	for _, m := range strings.Split(*methods, ",") {
		if m = strings.TrimSpace(m); m != "" {
			p.Methods = append(p.Methods, m)
		}
	}
	if p.Subject == "" {
		p.Subject = "local:" + *role
		if p.Resource != "" {
			p.Subject += ":" + p.Resource
		}
	}
	// The server creates the key at its first start; a token signed by a
	// key of a mistyped directory would only be refused later.
	key, err := auth.LoadSigningKey(cfg.DataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("token: no signing key in %s: start the server once with this data directory (it creates the key), or check -data-dir", cfg.DataDir)
	}
	if err != nil {
		return err
	}
	token, err := auth.Mint(key, p, cfg.AuthIssuer, cfg.AuthAudience, *ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}
