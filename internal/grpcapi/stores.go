package grpcapi

import (
	"context"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/store"
)

// The storage the services use, one small interface per resource and use,
// so that each service holds only what it calls. mongostore implements all
// of them (the assertions are in the tests of package app).

// ProducerReader reads one producer.
type ProducerReader interface {
	GetProducer(ctx context.Context, name string) (*pb.Producer, error)
}

// ProducerStore keeps producers.
type ProducerStore interface {
	ProducerReader
	CreateProducer(ctx context.Context, p *pb.Producer, requestID string) (*pb.Producer, error)
	ListProducers(ctx context.Context, o store.ListOptions) ([]*pb.Producer, bool, error)
	UpdateProducer(ctx context.Context, name, etag string, mutate func(*pb.Producer) error) (*pb.Producer, error)
	DeleteProducer(ctx context.Context, name, etag string, force bool) error
}

// ListingReader reads one listing.
type ListingReader interface {
	GetListing(ctx context.Context, name string) (*pb.Listing, error)
}

// ListingQueries reads listings one by one and by page.
type ListingQueries interface {
	ListingReader
	ListListings(ctx context.Context, o store.ListOptions) ([]*pb.Listing, bool, error)
}

// ListingStore keeps listings.
type ListingStore interface {
	ListingQueries
	CreateListing(ctx context.Context, l *pb.Listing, requestID string) (*pb.Listing, error)
	UpdateListing(ctx context.Context, name, etag string, mutate func(*pb.Listing) error) (*pb.Listing, error)
	DeleteListing(ctx context.Context, name, etag string) error
}

// BuyerReader reads one buyer.
type BuyerReader interface {
	GetBuyer(ctx context.Context, name string) (*pb.Buyer, error)
}

// BuyerStore keeps buyers.
type BuyerStore interface {
	BuyerReader
	CreateBuyer(ctx context.Context, b *pb.Buyer, requestID string) (*pb.Buyer, error)
	ListBuyers(ctx context.Context, o store.ListOptions) ([]*pb.Buyer, bool, error)
	UpdateBuyer(ctx context.Context, name, etag string, mutate func(*pb.Buyer) error) (*pb.Buyer, error)
	DeleteBuyer(ctx context.Context, name, etag string, force bool) error
}

// BuyingRequestReader reads one buying request.
type BuyingRequestReader interface {
	GetBuyingRequest(ctx context.Context, name string) (*pb.BuyingRequest, error)
}

// BuyingRequestLister reads buying requests by page.
type BuyingRequestLister interface {
	ListBuyingRequests(ctx context.Context, o store.ListOptions) ([]*pb.BuyingRequest, bool, error)
}

// BuyingRequestQueries reads buying requests one by one and by page.
type BuyingRequestQueries interface {
	BuyingRequestReader
	BuyingRequestLister
}

// BuyingRequestUpdater reads and conditionally updates a buying request.
type BuyingRequestUpdater interface {
	BuyingRequestReader
	UpdateBuyingRequest(ctx context.Context, name, etag string, mutate func(*pb.BuyingRequest) error) (*pb.BuyingRequest, error)
}

// BuyingRequestStore keeps buying requests.
type BuyingRequestStore interface {
	BuyingRequestQueries
	BuyingRequestUpdater
	CreateBuyingRequest(ctx context.Context, r *pb.BuyingRequest, requestID string) (*pb.BuyingRequest, error)
	DeleteBuyingRequest(ctx context.Context, name, etag string) error
}

// RequirementReader reads the whole requirement catalogue.
type RequirementReader interface {
	AllRequirements(ctx context.Context) ([]*pb.Requirement, error)
}

// RequirementStore keeps the requirement catalogue.
type RequirementStore interface {
	RequirementReader
	CreateRequirement(ctx context.Context, r *pb.Requirement, requestID string) (*pb.Requirement, error)
	GetRequirement(ctx context.Context, name string) (*pb.Requirement, error)
	ListRequirements(ctx context.Context, o store.ListOptions) ([]*pb.Requirement, bool, error)
	UpdateRequirement(ctx context.Context, name, etag string, mutate func(*pb.Requirement) error) (*pb.Requirement, error)
	DeleteRequirement(ctx context.Context, name, etag string) error
}

// FirmScanner reads every producer and every listing, for the views
// computed over all of them (training needs, expiring certificates).
type FirmScanner interface {
	AllProducers(ctx context.Context, fn func(*pb.Producer) error) error
	AllListings(ctx context.Context, fn func(*pb.Listing) error) error
}

// StatisticsSource reads everything the export figures are computed from.
type StatisticsSource interface {
	FirmScanner
	AllMatches(ctx context.Context, fn func(*pb.Match) error) error
}

// MatchReader reads one match.
type MatchReader interface {
	GetMatch(ctx context.Context, name string) (*pb.Match, error)
}

// MatchCreator stores a new match.
type MatchCreator interface {
	CreateMatch(ctx context.Context, m *pb.Match, requestID string) (*pb.Match, error)
}

// MatchStore keeps matches, with the atomic steps of their life cycle: the
// proposal slots that cap open proposals per producer, and answers that
// are applied once per idempotency key.
type MatchStore interface {
	MatchReader
	MatchCreator
	ListMatches(ctx context.Context, o store.ListOptions) ([]*pb.Match, bool, error)
	CountOpenProposals(ctx context.Context, producer string) (int64, error)
	// ClaimProposalSlots takes one of max open-proposal slots for each
	// producer for match, atomically per slot; false when one has none
	// free. release gives them back.
	ClaimProposalSlots(ctx context.Context, producers []string, match string, max int) (ok bool, release func(), err error)
	// AnswerMatch applies mutate once per non-empty key, recording the key
	// in the same write; a repeated key returns the stored match.
	AnswerMatch(ctx context.Context, name, key string, mutate func(*pb.Match) error) (*pb.Match, error)
}

// QuoteStore keeps quotes; mongostore.Quotes implements it.
type QuoteStore interface {
	CreateQuote(ctx context.Context, q *pb.Quote, requestID string) (*pb.Quote, error)
	GetQuote(ctx context.Context, name string) (*pb.Quote, error)
	ListQuotes(ctx context.Context, o store.ListOptions) ([]*pb.Quote, bool, error)
	UpdateQuote(ctx context.Context, name, etag string, mutate func(*pb.Quote) error) (*pb.Quote, error)
	CountOpenQuotes(ctx context.Context, producer string) (int64, error)
}

// ShipmentLister reads shipments by page.
type ShipmentLister interface {
	ListShipments(ctx context.Context, o store.ListOptions) ([]*pb.Shipment, bool, error)
}

// ShipmentStore keeps shipments; mongostore.Shipments implements it.
type ShipmentStore interface {
	ShipmentLister
	CreateShipment(ctx context.Context, s *pb.Shipment, requestID string) (*pb.Shipment, error)
	GetShipment(ctx context.Context, name string) (*pb.Shipment, error)
	UpdateShipment(ctx context.Context, name, etag string, mutate func(*pb.Shipment) error) (*pb.Shipment, error)
}

// AuditReader reads the audit trail (the server's interceptor writes it).
type AuditReader interface {
	// ListAuditEvents returns a page of events, newest first.
	ListAuditEvents(ctx context.Context, o store.ListOptions) ([]*pb.AuditEvent, bool, error)
	// GetAuditEvent returns the event with that name, or an error wrapping
	// store.ErrNotFound.
	GetAuditEvent(ctx context.Context, name string) (*pb.AuditEvent, error)
}

// InboxStore keeps the firms' notifications and notification settings.
type InboxStore interface {
	ListNotifications(ctx context.Context, recipient, after string, unreadOnly bool, pageSize int) ([]notify.Notification, bool, error)
	CountUnread(ctx context.Context, recipient string) (int64, error)
	MarkNotificationRead(ctx context.Context, name string, at time.Time) (notify.Notification, error)
	GetNotificationSettings(ctx context.Context, firm string) (notify.Settings, int64, time.Time, error)
	PutNotificationSettings(ctx context.Context, firm string, st notify.Settings, version int64) (int64, time.Time, error)
}

// WebhookStore keeps webhook subscriptions, their delivery log and the
// event log that WatchEvents streams.
type WebhookStore interface {
	CreateSubscription(ctx context.Context, sub notify.Subscription, requestID string) (notify.Subscription, error)
	GetSubscription(ctx context.Context, name string) (notify.Subscription, error)
	ListWebhookSubscriptions(ctx context.Context, after string, pageSize int) ([]notify.Subscription, bool, error)
	DeleteWebhookSubscription(ctx context.Context, name string) error
	ListDeliveries(ctx context.Context, target, after string, pageSize int) ([]notify.Delivery, bool, error)
	EventsAfter(ctx context.Context, after string, limit int) ([]notify.Event, error)
}

// Searcher is the in-memory catalogue behind SearchListings. Its answers
// are shared between callers (hits' listings always, whole answers with
// catalog.Index.CacheResults) and are never changed.
type Searcher interface {
	Search(req *pb.SearchListingsRequest, now time.Time) (*pb.SearchListingsResponse, error)
	// ExchangeRates returns a copy of the rate table in use, the caller's
	// to keep (catalog.Index clones it, which a test of its pins).
	ExchangeRates() *pb.ExchangeRates
}

// RatesStore keeps the exchange-rate table.
type RatesStore interface {
	UpdateExchangeRates(ctx context.Context, etag string, mutate func(*pb.ExchangeRates) error) (*pb.ExchangeRates, error)
}
