// Package app assembles the service from its configuration: the database
// (embedded FerretDB or an external MongoDB), the store, the demo data and the
// servers. cmd/temubisnis and the end-to-end tests both start it from here.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"
	"google.golang.org/grpc"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/catalogsync"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/embedded"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/matchcache"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/metrics"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/policy"
	"github.com/adiekspor/temubisnis/internal/progress"
	"github.com/adiekspor/temubisnis/internal/ratelimit"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/server"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/synth"
	"github.com/adiekspor/temubisnis/internal/web"
)

// storeSelectionTimeout is how long an operation waits for a usable
// database server before it fails with UNAVAILABLE.
const storeSelectionTimeout = 3 * time.Second

// App is a started service.
type App struct {
	Server *server.Server
	Store  *mongostore.Store
	Index  *catalog.Index
	// Candidates is the matching engine's view of the catalogue.
	Candidates *catalogsync.Candidates
	Syncer     *catalogsync.Syncer
	log        *slog.Logger
	client     *mongo.Client
	ferret     *embedded.Server
	loaded     chan struct{}
	// auditRetention is how long audit events are kept; 0 keeps them.
	auditRetention time.Duration
	loadErr        error
	stopped        bool
	// progress shows long work (seeding, the first catalogue load) in the
	// log, /readyz and the metrics; source counts the first load.
	progress *progress.Board
	source   *loadSource

	// Notifier derives events and delivers notifications (notify.go).
	Notifier       *notify.Notifier
	notifyInterval time.Duration
}

// Option adjusts what Start builds, for tests.
type Option func(*startOptions)

type startOptions struct {
	rateLimitClock func() time.Time
}

// WithRateLimitClock makes the rate limiters read now instead of the wall
// clock, so that a test can move past a refill without waiting for it.
func WithRateLimitClock(now func() time.Time) Option {
	return func(o *startOptions) { o.rateLimitClock = now }
}

// Start connects to (or starts) the database, prepares it and opens the
// listeners. Call Run to serve and Close when done.
func Start(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (_ *App, err error) {
	var so startOptions
	for _, o := range opts {
		o(&so)
	}
	a := &App{log: log, auditRetention: cfg.AuditRetention, progress: progress.NewBoard()}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	// Settings that can only be checked by reading files or parsing
	// further fail now, not after the database is up and seeded.
	if err := server.CheckOptions(server.Options{CORSOrigins: cfg.CORSOrigins, TLSCertFile: cfg.TLSCertFile, TLSKeyFile: cfg.TLSKeyFile}); err != nil {
		return nil, err
	}
	uri := cfg.MongoURI
	if cfg.Embedded() {
		dir := filepath.Join(cfg.DataDir, "ferretdb")
		a.ferret, err = embedded.Start(ctx, embedded.Options{DataDir: dir, Logger: log.With("component", "ferretdb")})
		if err != nil {
			return nil, fmt.Errorf("start embedded FerretDB in %s: %w", dir, err)
		}
		uri = a.ferret.URI()
		log.Info("embedded FerretDB started", "dir", dir, "uri", uri)
	}
	// No client-wide operation timeout: requests carry the gRPC deadline,
	// and the catalogue load is a long scan that must not be cut off.
	// Server selection gives up well inside a request's deadline, so that a
	// database that is gone answers UNAVAILABLE (503) rather than running
	// into the deadline (504).
	a.client, err = mongo.Connect(options.Client().ApplyURI(uri).
		SetAppName("temubisnis").
		SetServerSelectionTimeout(storeSelectionTimeout))
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	a.Store = mongostore.New(a.client.Database(cfg.Database))
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	// A database that is still starting gets the whole start-up budget,
	// one server selection after another.
	for {
		err := a.Store.Ping(pctx)
		if err == nil {
			break
		}
		// Only an unreachable server is worth waiting for (each try
		// takes a server selection timeout); anything else will not
		// change.
		if pctx.Err() != nil || !errors.Is(mongostore.TranslateError(err), store.ErrUnavailable) {
			return nil, fmt.Errorf("MongoDB does not answer: %w", err)
		}
	}
	if err := a.Store.EnsureIndexes(pctx); err != nil {
		return nil, err
	}
	if err := a.Store.EnsureNotifyIndexes(pctx); err != nil {
		return nil, err
	}
	if err := a.Store.BackfillDue(pctx); err != nil {
		return nil, err
	}
	switch {
	case cfg.SeedDemo():
		dctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		kind := "demo"
		if cfg.DemoDeals {
			kind = "demo with deal history"
		}
		if err := loadData(dctx, a.Store, log, a.progress, kind, func() *seed.Dataset { return seed.Demo(time.Now()) }); err != nil {
			return nil, err
		}
	case cfg.Seed == config.SeedSynthetic:
		lctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
		defer cancel()
		n := cfg.SyntheticListings
		if err := loadData(lctx, a.Store, log, a.progress, "synthetic", func() *seed.Dataset {
			t := a.progress.Start(log, "synthetic data generation", "listings", int64(n), progressEvery)
			defer t.Finish(a.progress)
			last := 0
			return synth.GenerateProgress(1, max(1, n/8), n, time.Now(), func(done int) {
				t.Add(int64(done - last))
				last = done
			})
		}); err != nil {
			return nil, err
		}
	}
	if cfg.SeedRequirements() {
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := loadRequirements(rctx, a.Store, log); err != nil {
			return nil, err
		}
	}

	// Seeding a large synthetic catalogue outlasts the first budget; the
	// indexes ensured below get one of their own.
	pctx, cancel = context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	weights, err := matching.ParseWeights(cfg.MatchWeights)
	if err != nil {
		return nil, err
	}
	vocab, err := catalog.LoadVocabulary(cfg.VocabularyFile)
	if err != nil {
		return nil, err
	}
	a.Index = catalog.New(vocab, fx.DefaultRates())
	a.Index.CacheResults(cfg.SearchCacheEntries)
	a.Candidates = catalogsync.NewCandidates()
	a.Candidates.TrimTo(a.Index.Listing)
	a.Candidates.SetExchangeRates(fx.DefaultRates())
	models := catalogsync.Tee{a.Index, a.Candidates}
	a.source = &loadSource{Store: a.Store}
	a.Syncer = catalogsync.New(a.source, models, log, catalogsync.Options{
		Snapshot: catalogsync.SnapshotOptions{Path: cfg.SnapshotPath(), Interval: cfg.SnapshotInterval, From: a.Index},
	})
	a.loaded = make(chan struct{})
	st := &catalogsync.Store{Store: a.Store, Index: models, Lists: a.Index, Ready: a.Syncer.Ready}
	quotes := mongostore.NewQuotes(a.Store)
	if err := quotes.EnsureIndexes(pctx); err != nil {
		return nil, err
	}
	shipments := mongostore.NewShipments(a.Store)
	if err := shipments.EnsureIndexes(pctx); err != nil {
		return nil, err
	}
	engines := matchcache.New(a.Candidates, st, a.Store, matchcache.Options{Weights: weights})
	targets := webhookTargets(cfg)
	svc := grpcapi.New(grpcapi.Options{
		Log:            log,
		StoreErrors:    mongostore.TranslateError,
		Producers:      st,
		Listings:       st,
		Buyers:         st,
		BuyingRequests: st,
		Requirements:   st,
		Firms:          st,
		Search:         a.Index,
		Rates:          st,
		Matches:        a.Store,
		MatchPolicy:    grpcapi.MatchPolicy{ProposalTTL: cfg.ProposalTTL, MaxOpenProposals: cfg.MaxOpenProposals},
		Matching:       engines,
		Quotes:         quotes,
		Shipments:      shipments,
		Audit:          a.Store,
		Inbox:          a.Store,
		Webhooks:       a.Store,
		WebhookTargets: targets,
		// Event streams end when the service's context does.
		WatchStop: ctx.Done(),
	})
	notifyMetrics, err := a.startNotify(pctx, cfg, targets, matcher(st, engines))
	if err != nil {
		return nil, err
	}
	access, err := newAccess(cfg, svc.Facts, a.Store, log, so.rateLimitClock)
	if err != nil {
		return nil, err
	}
	if cfg.LocalTokens() && cfg.SeedDemo() {
		logDemoAccounts(log, cfg.DataDir)
	}
	business := metrics.NewBusiness()
	a.Server, err = server.New(ctx, server.Options{
		GRPCAddr:             cfg.GRPCAddr,
		HTTPAddr:             cfg.HTTPAddr,
		RequestTimeout:       cfg.RequestTimeout,
		ShutdownTimeout:      cfg.ShutdownTimeout,
		MaxBodyBytes:         cfg.MaxBodyBytes,
		Pprof:                cfg.Pprof,
		SearchJSONCacheBytes: cfg.SearchJSONCacheBytes,
		SearchAnswers:        keptAnswers{a.Index},
		Ready:                a.ready,
		Access:               access,
		CORSOrigins:          cfg.CORSOrigins,
		TLSCertFile:          cfg.TLSCertFile,
		TLSKeyFile:           cfg.TLSKeyFile,
		TrustedProxies:       cfg.TrustedProxies,
		Metrics:              append(metricsOf(business, a.Index, a.Syncer, a.progress), notifyMetrics...),
		Interceptors:         []grpc.UnaryServerInterceptor{business.Interceptor()},
	}, svc, log)
	if err != nil {
		return nil, err
	}
	if cfg.Web {
		if err := a.mountWeb(ctx, cfg, access); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// mountWeb serves the web app at "/" of the HTTP listener. It calls the API
// through the server's own connection, so its calls meet the same access
// rules as any other. With local tokens it offers the demo sign-in, signing
// with the local key; with an OpenID Connect provider, the provider's.
func (a *App) mountWeb(ctx context.Context, cfg config.Config, access server.Access) error {
	opts := web.Options{
		Conn:         a.Server.ClientConn(),
		Metadata:     a.Server.CallMetadata,
		Verifier:     access.Verifier,
		Issuer:       cfg.AuthIssuer,
		Audience:     cfg.AuthAudience,
		Secure:       a.Server.TLS(),
		SessionTTL:   cfg.WebSessionTTL,
		MaxBodyBytes: cfg.MaxBodyBytes,
		Log:          a.log.With("component", "web"),
	}
	if cfg.OIDCIssuerURL != "" {
		opts.OIDC = &web.OIDCConfig{IssuerURL: cfg.OIDCIssuerURL, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret, RedirectURL: cfg.OIDCRedirectURL}
	} else if cfg.LocalTokens() && cfg.SeedDemo() {
		// The demo sign-in lets anyone act as anyone: only on a demo
		// (local key and demo data), never on a server whose tokens are
		// issued with `temubisnis token` for real firms.
		key, err := auth.LoadSigningKey(cfg.DataDir)
		if err != nil {
			return err
		}
		opts.DemoKey = key
	}
	h, err := web.New(ctx, opts)
	if err != nil {
		return fmt.Errorf("web app: %w", err)
	}
	a.Server.Handle("/", h)
	return nil
}

// ready is the readiness check: the search catalogue has loaded and the
// database answers. Its errors are shown on /readyz, so they say what is
// wrong without internals.
func (a *App) ready(ctx context.Context) error {
	if !a.Syncer.Ready() {
		msg := "search catalogue still loading"
		for _, t := range a.progress.Running() {
			msg += "; " + t.String()
		}
		return errors.New(msg)
	}
	if err := a.Store.Ping(ctx); err != nil {
		a.log.Warn("database ping failed", "error", err)
		return errors.New("database unreachable")
	}
	return nil
}

// WaitLoaded blocks until the first catalogue load has finished (or failed)
// or ctx ends.
func (a *App) WaitLoaded(ctx context.Context) error {
	select {
	case <-a.loaded:
		return a.loadErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run serves until ctx is done. The catalogue loads in the background so
// that health checks answer meanwhile; /readyz says when it is done.
func (a *App) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := a.firstLoad(gctx)
		a.loadErr = err
		close(a.loaded)
		if err != nil {
			return fmt.Errorf("load search catalogue: %w", err)
		}
		a.Syncer.Run(gctx)
		return nil
	})
	g.Go(func() error { return a.Server.Run(gctx) })
	if a.notifyInterval > 0 {
		g.Go(func() error { a.runNotify(gctx); return nil })
	}
	if a.auditRetention > 0 {
		g.Go(func() error { a.pruneAudit(gctx); return nil })
	}
	return g.Wait()
}

// pruneAudit deletes audit events older than the retention, at start and
// then hourly, until ctx ends. Replicas may all do it: the delete is
// idempotent.
func (a *App) pruneAudit(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := a.Store.PruneAudit(ctx, time.Now().Add(-a.auditRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("prune audit trail", "error", err)
		case n > 0:
			a.log.Info("audit trail pruned", "deleted", n, "retention", a.auditRetention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close disconnects from the database and stops the embedded one. It is safe
// to call more than once.
func (a *App) Close() {
	if a.stopped {
		return
	}
	a.stopped = true
	if a.client != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.client.Disconnect(ctx); err != nil {
			a.log.Warn("disconnect from MongoDB", "error", err)
		}
	}
	if a.ferret != nil {
		a.ferret.Stop()
	}
}

// loadData fills an empty database with a data set. A database that holds
// anything is left alone, so restarts never duplicate or overwrite.
func loadData(ctx context.Context, st *mongostore.Store, log *slog.Logger, board *progress.Board, kind string, data func() *seed.Dataset) error {
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		log.Info("database already holds data; " + kind + " data not loaded")
		return nil
	}
	start := time.Now()
	d := data()
	if err := importData(ctx, st, log, board, kind, d); err != nil {
		return fmt.Errorf("load %s data: %w", kind, err)
	}
	if kind == "demo with deal history" {
		// Past deals, so that the export statistics show something.
		h := seed.DealHistory(d, time.Now())
		if err := st.ImportHistory(ctx, h.Requests, h.Matches, h.Shipments); err != nil {
			return fmt.Errorf("load demo deal history: %w", err)
		}
	}
	log.Info(kind+" data loaded", "producers", len(d.Producers), "listings", len(d.Listings),
		"buyers", len(d.Buyers), "buying_requests", len(d.BuyingRequests), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// loadRequirements stores the seed requirement catalogue once, into an empty
// collection, so the trade office's later edits are never overwritten.
func loadRequirements(ctx context.Context, st *mongostore.Store, log *slog.Logger) error {
	empty, err := st.RequirementsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	rows := requirement.Catalogue()
	if err := st.ImportRequirements(ctx, rows); err != nil {
		return fmt.Errorf("load requirement catalogue: %w", err)
	}
	log.Info("requirement catalogue loaded", "requirements", len(rows))
	return nil
}

// newAccess builds authentication, policy, rate limits and the audit trail.
// With no identity provider configured, tokens are verified with the local
// key in the data directory, which `temubisnis token` signs with.
func newAccess(cfg config.Config, facts policy.Facts, st *mongostore.Store, log *slog.Logger, clock func() time.Time) (server.Access, error) {
	keyFile := cfg.AuthKeyFile
	if cfg.LocalTokens() {
		if _, err := auth.LoadOrCreateSigningKey(cfg.DataDir); err != nil {
			return server.Access{}, err
		}
		keyFile = filepath.Join(cfg.DataDir, auth.PublicKeyFile)
	}
	v, err := auth.NewVerifier(auth.VerifierOptions{
		Issuer:      cfg.AuthIssuer,
		Audience:    cfg.AuthAudience,
		KeyFile:     keyFile,
		JWKSURL:     cfg.AuthJWKSURL,
		MaxLifetime: cfg.MaxTokenLifetime,
		Logger:      log.With("component", "auth"),
	})
	if err != nil {
		return server.Access{}, err
	}
	access := server.Access{Verifier: v, Policy: policy.New(facts), Audit: st}
	// Bursts of twice the sustained rate: a page load fans out into a few
	// calls at once.
	if cfg.RateLimitAddress > 0 {
		access.PerAddress = ratelimit.New(rate.Limit(cfg.RateLimitAddress), max(1, int(2*cfg.RateLimitAddress)), ratelimit.WithClock(clock))
	}
	if cfg.RateLimitCaller > 0 {
		access.PerCaller = ratelimit.New(rate.Limit(cfg.RateLimitCaller), max(1, int(2*cfg.RateLimitCaller)), ratelimit.WithClock(clock))
	}
	return access, nil
}

// demoAccounts are the demo data's accounts worth trying: the trade office,
// a djembe workshop in Nglegok, and the US buyer of 10,000 djembe.
var demoAccounts = [][2]string{
	{"trade_office", ""},
	{"producer", "producers/kendang-jaya-nglegok"},
	{"buyer", "buyers/heartland-drum-supply"},
}

// logDemoAccounts says how to get tokens for the demo accounts. The tokens
// themselves never go into the log.
func logDemoAccounts(log *slog.Logger, dataDir string) {
	for _, acc := range demoAccounts {
		cmd := "go run ./cmd/temubisnis token -data-dir " + dataDir + " -role " + acc[0]
		if acc[1] != "" {
			cmd += " -resource " + acc[1]
		}
		log.Info("demo account: get a bearer token with", "role", acc[0], "resource", acc[1], "command", cmd)
	}
}

// mongostore implements every store the API services use (the services
// declare them, narrow, in package grpcapi).
var (
	_ grpcapi.ProducerStore      = (*mongostore.Store)(nil)
	_ grpcapi.ListingStore       = (*mongostore.Store)(nil)
	_ grpcapi.BuyerStore         = (*mongostore.Store)(nil)
	_ grpcapi.BuyingRequestStore = (*mongostore.Store)(nil)
	_ grpcapi.RequirementStore   = (*mongostore.Store)(nil)
	_ grpcapi.StatisticsSource   = (*mongostore.Store)(nil)
	_ grpcapi.RatesStore         = (*mongostore.Store)(nil)
	_ grpcapi.MatchStore         = (*mongostore.Store)(nil)
	_ grpcapi.AuditReader        = (*mongostore.Store)(nil)
	_ grpcapi.InboxStore         = (*mongostore.Store)(nil)
	_ grpcapi.WebhookStore       = (*mongostore.Store)(nil)
	_ grpcapi.QuoteStore         = (*mongostore.Quotes)(nil)
	_ grpcapi.ShipmentStore      = (*mongostore.Shipments)(nil)
	_ matchcache.History         = (*mongostore.Store)(nil)
)
