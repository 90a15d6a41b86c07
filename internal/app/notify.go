package app

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/notify"
)

// startNotify enables the inbox and webhook services and prepares the
// notifier: its scan cursors are stored now (within ctx), whether or not
// this replica runs it, so that writes made before any notifier runs are
// still found. Event streams end when life, the service's context, does.
func (a *App) startNotify(ctx, life context.Context, cfg config.Config, svc *grpcapi.Service) ([]prometheus.Collector, error) {
	nc := cfg.Notify
	targets := notify.TargetPolicy{AllowLoopback: nc.WebhookAllowLoopback, AllowPrivate: nc.WebhookAllowPrivate}
	svc.WithNotifications(a.Store, targets).WithWatchStop(life.Done())
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
		Interval:    nc.Interval,
		MinScore:    nc.MinScore,
		BaseURL:     nc.BaseURL,
		OfficeEmail: nc.OfficeEmail,
		MaxAttempts: nc.WebhookMaxAttempts,
		RetryBase:   nc.RetryBase,
		RetryMax:    nc.RetryMax,
		Targets:     targets,
		Senders:     senders,
		Matcher:     matcher(svc),
		Log:         a.log.With("component", "notify"),
	}, metrics)
	a.notifyInterval = nc.Interval
	if err := a.Notifier.Init(ctx); err != nil {
		return nil, err
	}
	return metrics.Collectors(), nil
}

// matcher ranks a request's listings with the matching engine, as
// MatchBuyingRequest answers the buyer: hard constraints passed, best
// first.
func matcher(svc *grpcapi.Service) notify.Matcher {
	return func(ctx context.Context, r *pb.BuyingRequest) ([]notify.Fit, error) {
		resp, err := svc.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: r.GetName(), PageSize: 100})
		if status.Code(err) == codes.NotFound {
			return nil, nil // deleted since the scan read it (or its buyer was): no one to tell
		}
		if err != nil {
			return nil, err
		}
		var fits []notify.Fit
		for _, m := range resp.GetMatches() {
			l := m.GetListing().GetName()
			producer, _, _ := strings.Cut(l, "/listings/")
			fits = append(fits, notify.Fit{Producer: producer, Listing: l, Title: m.GetListing().GetTitle(), Score: m.GetScore()})
		}
		return fits, nil
	}
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
