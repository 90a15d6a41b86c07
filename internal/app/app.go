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

	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/embedded"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/server"
)

// App is a started service.
type App struct {
	Server  *server.Server
	Store   *mongostore.Store
	log     *slog.Logger
	client  *mongo.Client
	ferret  *embedded.Server
	stopped bool
}

// Start connects to (or starts) the database, prepares it and opens the
// listeners. Call Run to serve and Close when done.
func Start(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *App, err error) {
	a := &App{log: log}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
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
	a.client, err = mongo.Connect(options.Client().ApplyURI(uri).
		SetAppName("temubisnis").
		SetServerSelectionTimeout(10 * time.Second).
		SetTimeout(30 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	a.Store = mongostore.New(a.client.Database(cfg.Database))
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := a.Store.Ping(pctx); err != nil {
		return nil, fmt.Errorf("MongoDB does not answer: %w", err)
	}
	if err := a.Store.EnsureIndexes(pctx); err != nil {
		return nil, err
	}
	if cfg.SeedDemo() {
		if err := loadDemo(pctx, a.Store, log); err != nil {
			return nil, err
		}
	}
	svc := grpcapi.New(a.Store, log)
	a.Server, err = server.New(ctx, server.Options{
		GRPCAddr:        cfg.GRPCAddr,
		HTTPAddr:        cfg.HTTPAddr,
		RequestTimeout:  cfg.RequestTimeout,
		ShutdownTimeout: cfg.ShutdownTimeout,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		Ready:           a.Store.Ping,
	}, svc, log)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Run serves until ctx is done.
func (a *App) Run(ctx context.Context) error {
	return a.Server.Run(ctx)
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

// loadDemo fills an empty database with the Blitar demo data set. A database
// that holds anything is left alone, so restarts never duplicate or overwrite.
func loadDemo(ctx context.Context, st *mongostore.Store, log *slog.Logger) error {
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		log.Info("database already holds data; demo data not loaded")
		return nil
	}
	d := seed.Demo(time.Now())
	var errs []error
	for _, p := range d.Producers {
		_, err := st.CreateProducer(ctx, p, "")
		errs = append(errs, err)
	}
	for _, l := range d.Listings {
		_, err := st.CreateListing(ctx, l, "")
		errs = append(errs, err)
	}
	for _, b := range d.Buyers {
		_, err := st.CreateBuyer(ctx, b, "")
		errs = append(errs, err)
	}
	for _, r := range d.BuyingRequests {
		_, err := st.CreateBuyingRequest(ctx, r, "")
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	log.Info("demo data loaded", "producers", len(d.Producers), "listings", len(d.Listings),
		"buyers", len(d.Buyers), "buying_requests", len(d.BuyingRequests))
	return nil
}
