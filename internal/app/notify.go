package app

import (
	"context"
	"errors"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalogsync"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/matchcache"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/store"
)

// webhookTargets says which webhook addresses subscriptions may name.
func webhookTargets(cfg config.Config) notify.TargetPolicy {
	return notify.TargetPolicy{AllowLoopback: cfg.Notify.WebhookAllowLoopback, AllowPrivate: cfg.Notify.WebhookAllowPrivate}
}

// startNotify prepares the notifier: its scan cursors are stored now
// (within ctx), whether or not this replica runs it, so that writes made
// before any notifier runs are still found.
func (a *App) startNotify(ctx context.Context, cfg config.Config, targets notify.TargetPolicy, match notify.Matcher) ([]prometheus.Collector, error) {
	nc := cfg.Notify
	var senders []notify.Sender
	if nc.SMTPAddr != "" {
		s, err := notify.NewSMTPSender(notify.SMTPConfig{Addr: nc.SMTPAddr, From: nc.SMTPFrom, Username: nc.SMTPUsername, Password: nc.SMTPPassword, TLS: nc.SMTPTLS})
		if err != nil {
			return nil, err
		}
		senders = append(senders, s)
	}
	metrics := notify.NewMetrics()
	a.Notifier = notify.New(a.Store, notify.Options{
		Interval:          nc.Interval,
		FullScanEvery:     nc.FullScanInterval,
		ChangeRetention:   catalogsync.DefaultRetention, // the syncer prunes the change log
		MinScore:          nc.MinScore,
		BaseURL:           nc.BaseURL,
		OfficeEmail:       nc.OfficeEmail,
		MaxAttempts:       nc.WebhookMaxAttempts,
		RetryBase:         nc.RetryBase,
		RetryMax:          nc.RetryMax,
		DeliveryRetention: nc.DeliveryRetention,
		Targets:           targets,
		Senders:           senders,
		Matcher:           match,
		Log:               a.log.With("component", "notify"),
	}, metrics)
	a.notifyInterval = nc.Interval
	if err := a.Notifier.Init(ctx); err != nil {
		return nil, err
	}
	return metrics.Collectors(), nil
}

// matcherStore reads what matcher ranks for.
type matcherStore interface {
	grpcapi.BuyingRequestReader
	grpcapi.BuyerReader
}

// matcher ranks a request's listings with the matching engine, as
// MatchBuyingRequest answers the buyer: hard constraints passed, best
// first.
func matcher(st matcherStore, engines *matchcache.Cache) notify.Matcher {
	return func(ctx context.Context, r *pb.BuyingRequest) ([]notify.Fit, error) {
		br, err := st.GetBuyingRequest(ctx, r.GetName())
		if err != nil {
			return nil, notFoundIsNone(err)
		}
		buyerName, _, _ := strings.Cut(br.GetName(), "/buyingRequests/")
		buyer, err := st.GetBuyer(ctx, buyerName)
		if err != nil {
			return nil, notFoundIsNone(err)
		}
		e, err := engines.Engine(ctx)
		if err != nil {
			return nil, err
		}
		var fits []notify.Fit
		for _, m := range e.Match(br, buyer, matching.MaxLimit).GetMatches() {
			l := m.GetListing().GetName()
			producer, _, _ := strings.Cut(l, "/listings/")
			fits = append(fits, notify.Fit{Producer: producer, Listing: l, Title: m.GetListing().GetTitle(), Score: m.GetScore()})
		}
		return fits, nil
	}
}

// notFoundIsNone: a request deleted since the scan read it (or its buyer)
// has no one to tell.
func notFoundIsNone(err error) error {
	if errors.Is(mongostore.TranslateError(err), store.ErrNotFound) {
		return nil
	}
	return err
}

// runNotify runs the notifier once the catalogue the matching engine reads
// has loaded, until ctx ends.
func (a *App) runNotify(ctx context.Context) {
	select {
	case <-a.loaded:
	case <-ctx.Done():
		return
	}
	if a.loadErr != nil {
		return
	}
	a.Notifier.Run(ctx)
}
