package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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
	fs := flag.NewFlagSet("temubisnis token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "producer, buyer, trade_office or service")
	resource := fs.String("resource", "", "producers/{id} for a producer, buyers/{id} for a buyer")
	subject := fs.String("subject", "", "the token's subject; default: derived from role and resource")
	methods := fs.String("methods", "", "service accounts: comma-separated full gRPC method names, e.g. /temubisnis.v1.SearchService/SearchListings")
	ttl := fs.Duration("ttl", 12*time.Hour, "how long the token is valid (at most 720h)")
	dataDir := fs.String("data-dir", "", "data directory holding the local key (default: as the server, TEMUBISNIS_DATA_DIR or ./data)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: temubisnis token -role ROLE [-resource NAME] [flags]\n\nPrints a bearer token signed with the local key, for development and the demo.\nExamples:\n  temubisnis token -role trade_office\n  temubisnis token -role producer -resource producers/kendang-jaya-nglegok\n  temubisnis token -role buyer -resource buyers/heartland-drum-supply")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected argument %q", fs.Arg(0))
	}
	var cfgArgs []string
	if *dataDir != "" {
		cfgArgs = append(cfgArgs, "-data-dir", *dataDir)
	}
	cfg, err := config.Parse(cfgArgs, getenv)
	if err != nil {
		return err
	}
	if !cfg.LocalTokens() {
		return errors.New("token: an identity provider is configured (TEMUBISNIS_AUTH_JWKS_URL or TEMUBISNIS_AUTH_KEY_FILE); get tokens from it")
	}
	if *ttl <= 0 || *ttl > 30*24*time.Hour {
		return fmt.Errorf("token: -ttl %s: want a duration from 1s to 720h", *ttl)
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
	if *methods != "" {
		p.Methods = strings.Split(*methods, ",")
	}
	if p.Subject == "" {
		p.Subject = "local:" + *role
		if p.Resource != "" {
			p.Subject += ":" + p.Resource
		}
	}
	key, err := auth.LoadOrCreateSigningKey(cfg.DataDir)
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
