package grpcapi

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matchcache"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/quote"
)

// base is what every service shares: the logger, the clock and the
// mapping of errors to a status.
type base struct {
	log *slog.Logger
	now func() time.Time
	// storeErrors translates a storage implementation's own errors into
	// the store sentinels before they are mapped to a status; nil keeps
	// them as they are.
	storeErrors func(error) error
}

func (b *base) err(ctx context.Context, err error) error {
	if b.storeErrors != nil && err != nil {
		err = b.storeErrors(err)
	}
	return toStatus(ctx, b.log, err)
}

// Options are the dependencies of the services. A service whose store is
// nil answers UNIMPLEMENTED (audit, notifications, webhooks) or is not
// meant to be called (the rest).
type Options struct {
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// StoreErrors translates the storage implementation's errors
	// (mongostore.TranslateError), so that a lost database answers
	// UNAVAILABLE rather than INTERNAL.
	StoreErrors func(error) error

	Producers      ProducerStore
	Listings       ListingStore
	Buyers         BuyerStore
	BuyingRequests BuyingRequestStore
	Requirements   RequirementStore
	// Firms reads every producer, listing and match, for the readiness
	// views and the statistics.
	Firms StatisticsSource

	// Search is the catalogue behind SearchService; Rates keeps the
	// exchange-rate table.
	Search Searcher
	Rates  RatesStore

	Matches     MatchStore
	MatchPolicy MatchPolicy
	// Matching is the engine behind MatchBuyingRequest,
	// RecommendBuyingRequests and the fit checks of proposals and quotes;
	// nil skips the fit checks.
	Matching *matchcache.Cache

	Quotes      QuoteStore
	QuotePolicy QuotePolicy
	Shipments   ShipmentStore
	Audit       AuditReader

	Inbox    InboxStore
	Webhooks WebhookStore
	// WebhookTargets says which addresses subscriptions may name.
	WebhookTargets notify.TargetPolicy
	// WatchStop, when closed, ends WatchEvents streams with UNAVAILABLE, so
	// that clients resume on another replica.
	WatchStop <-chan struct{}
}

// Services are the gRPC services of temubisnis, one value per service.
type Services struct {
	Producer     *ProducerService
	Buyer        *BuyerService
	Requirement  *RequirementService
	Search       *SearchService
	Match        *MatchService
	Audit        *AuditService
	Quote        *QuoteService
	Shipment     *ShipmentService
	Statistics   *StatisticsService
	Notification *NotificationService
	Webhook      *WebhookService
	// Facts answers the access policy's questions about stored data.
	Facts *Facts
}

// New builds every service from o.
func New(o Options) *Services {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	b := base{log: o.Log, now: o.Now, storeErrors: o.StoreErrors}
	matches := o.Matches
	if matches != nil && o.MatchPolicy.MaxOpenProposals > 0 {
		matches = cappedMatches{MatchStore: matches, max: o.MatchPolicy.MaxOpenProposals}
	}
	if o.QuotePolicy.MaxOpenPerProducer == 0 {
		o.QuotePolicy.MaxOpenPerProducer = quote.DefaultMaxOpenPerProducer
	}
	rates := func() *pb.ExchangeRates {
		if o.Matching != nil {
			if r := o.Matching.ExchangeRates(); r != nil {
				return r
			}
		}
		return fx.DefaultRates()
	}
	return &Services{
		Producer: &ProducerService{base: b, producers: o.Producers, listings: o.Listings},
		Buyer:    &BuyerService{base: b, buyers: o.Buyers, requests: o.BuyingRequests},
		Requirement: &RequirementService{base: b, requirements: o.Requirements, firms: o.Firms,
			producers: o.Producers, listings: o.Listings},
		Search: &SearchService{base: b, search: o.Search, rates: o.Rates},
		Match: &MatchService{base: b, matches: matches, policy: o.MatchPolicy, matching: o.Matching,
			producers: o.Producers, listings: o.Listings, buyers: o.Buyers, requests: o.BuyingRequests},
		Audit: &AuditService{base: b, audit: o.Audit},
		Quote: &QuoteService{base: b, quotes: o.Quotes, policy: o.QuotePolicy, matches: matches, matching: o.Matching,
			rates: rates, requirements: o.Requirements,
			producers: o.Producers, listings: o.Listings, buyers: o.Buyers, requests: o.BuyingRequests},
		Shipment: &ShipmentService{base: b, shipments: o.Shipments, matches: o.Matches, requirements: o.Requirements,
			listings: o.Listings, buyers: o.Buyers, requests: o.BuyingRequests},
		Statistics: &StatisticsService{base: b, source: o.Firms, requests: o.BuyingRequests, shipments: o.Shipments,
			rates: rates},
		Notification: &NotificationService{base: b, inbox: o.Inbox},
		Webhook:      &WebhookService{base: b, webhooks: o.Webhooks, targets: o.WebhookTargets, stop: o.WatchStop},
		Facts:        &Facts{listings: o.Listings, requests: o.BuyingRequests, matches: o.Matches},
	}
}

// Register registers every service on reg: a gRPC server, or an
// in-process channel that serves the same services.
func (s *Services) Register(reg grpc.ServiceRegistrar) {
	pb.RegisterProducerServiceServer(reg, s.Producer)
	pb.RegisterBuyerServiceServer(reg, s.Buyer)
	pb.RegisterRequirementServiceServer(reg, s.Requirement)
	pb.RegisterSearchServiceServer(reg, s.Search)
	pb.RegisterMatchServiceServer(reg, s.Match)
	pb.RegisterAuditServiceServer(reg, s.Audit)
	pb.RegisterQuoteServiceServer(reg, s.Quote)
	pb.RegisterShipmentServiceServer(reg, s.Shipment)
	pb.RegisterStatisticsServiceServer(reg, s.Statistics)
	pb.RegisterNotificationServiceServer(reg, s.Notification)
	pb.RegisterWebhookServiceServer(reg, s.Webhook)
}
