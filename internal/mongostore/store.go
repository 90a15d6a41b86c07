// Package mongostore keeps producers, listings, buyers and buying requests in
// MongoDB (or FerretDB) through the official driver. BSON document types stay
// inside this package; callers see protobuf messages and the errors of package
// store.
//
// Each resource is one collection whose _id is the resource name, so
// client-chosen ids are unique by construction and name order is index order
// (keyset paging on _id). Every document carries a version that every write
// is conditional on: that is the optimistic concurrency behind etags, and it
// needs no transactions (FerretDB 1.24 has none).
package mongostore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Collection names.
const (
	ProducersCollection      = "producers"
	ListingsCollection       = "listings"
	BuyersCollection         = "buyers"
	BuyingRequestsCollection = "buying_requests"
	RequirementsCollection   = "requirements"
)

// businessIDIndex is the unique index on a producer's NIB. Its name appears in
// duplicate-key errors, which is how a duplicate NIB is told from a duplicate
// name.
const businessIDIndex = "uniq_business_id"

// Store is the MongoDB implementation of the service's storage.
type Store struct {
	db        *mongo.Database
	producers *resource[*pb.Producer, producerDoc]
	listings  *resource[*pb.Listing, listingDoc]
	buyers    *resource[*pb.Buyer, buyerDoc]
	requests  *resource[*pb.BuyingRequest, buyingRequestDoc]
	reqs      *resource[*pb.Requirement, requirementDoc]
	matches   *resource[*pb.Match, matchDoc]
	// exchangeRates is a collection of one document.
	exchangeRates *resource[*pb.ExchangeRates, exchangeRatesDoc]
	audit         *auditLog
	// due guards the one-time creation of DueCollection's index (see
	// ensureDue).
	due struct {
		sync.Mutex
		indexed bool
	}
}

// Option configures a Store.
type Option func(*Store)

// WithClock replaces the wall clock, for tests of time-dependent behaviour
// (expiry of buying requests).
func WithClock(now func() time.Time) Option {
	return func(s *Store) {
		s.producers.now, s.listings.now, s.buyers.now, s.requests.now, s.reqs.now = now, now, now, now, now
		s.exchangeRates.now, s.matches.now = now, now
	}
}

// New returns a Store on db. Call EnsureIndexes once at start-up.
func New(db *mongo.Database, opts ...Option) *Store {
	s := &Store{
		db: db,
		producers: &resource[*pb.Producer, producerDoc]{
			coll: db.Collection(ProducersCollection), noun: "producer",
			toDoc: producerToDoc, fromDoc: producerFromDoc,
			meta: func(d *producerDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			fields:        producerFilterFields,
			uniqueIndexes: map[string]string{businessIDIndex: "business_id"},
			now:           time.Now,
		},
		listings: &resource[*pb.Listing, listingDoc]{
			coll: db.Collection(ListingsCollection), noun: "listing",
			toDoc: listingToDoc, fromDoc: listingFromDoc,
			meta: func(d *listingDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			fields: listingFilterFields,
			now:    time.Now,
		},
		buyers: &resource[*pb.Buyer, buyerDoc]{
			coll: db.Collection(BuyersCollection), noun: "buyer",
			toDoc: buyerToDoc, fromDoc: buyerFromDoc,
			meta: func(d *buyerDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			fields: buyerFilterFields,
			now:    time.Now,
		},
		requests: &resource[*pb.BuyingRequest, buyingRequestDoc]{
			coll: db.Collection(BuyingRequestsCollection), noun: "buying request",
			toDoc: buyingRequestToDoc, fromDoc: buyingRequestFromDoc,
			meta: func(d *buyingRequestDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			fields:    buyingRequestFilterFields,
			condition: buyingRequestStateCondition,
			fromDocAt: expireBuyingRequest,
			now:       time.Now,
		},
		reqs: &resource[*pb.Requirement, requirementDoc]{
			coll: db.Collection(RequirementsCollection), noun: "requirement",
			toDoc: requirementToDoc, fromDoc: requirementFromDoc,
			meta: func(d *requirementDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			fields: requirementFilterFields,
			now:    time.Now,
		},
		matches: newMatchResource(db),
		exchangeRates: &resource[*pb.ExchangeRates, exchangeRatesDoc]{
			coll: db.Collection(SettingsCollection), noun: "exchange rates",
			toDoc: exchangeRatesToDoc, fromDoc: exchangeRatesFromDoc,
			meta: func(d *exchangeRatesDoc) meta {
				return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
			},
			now: time.Now,
		},
	}
	for _, o := range opts {
		o(s)
	}
	cl := newClaims(db.Collection(ClaimsCollection), s.producers.now)
	s.producers.claims, s.listings.claims, s.buyers.claims, s.requests.claims, s.reqs.claims = cl, cl, cl, cl, cl
	s.exchangeRates.claims, s.matches.claims = cl, cl
	ch := &changeLog{coll: db.Collection(ChangesCollection), now: s.producers.now}
	s.producers.changes, s.listings.changes, s.buyers.changes, s.requests.changes, s.reqs.changes = ch, ch, ch, ch, ch
	s.exchangeRates.changes, s.matches.changes = ch, ch
	s.audit = &auditLog{coll: db.Collection(AuditCollection), now: s.producers.now, suffix: randomSuffix}
	return s
}

// EnsureIndexes creates the indexes the queries need. It is idempotent and
// runs at every start.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	// Every index is named, and only missing names are created: asking
	// FerretDB 1.24 to create indexes that already exist can crash its
	// connection handler (see the feature probe in internal/testdb), and
	// named indexes are easier to operate anyway. A changed definition under
	// an existing name is not applied: rename the index to change it.
	idx := func(name string, keys ...string) mongo.IndexModel {
		d := bson.D{}
		for _, k := range keys {
			d = append(d, bson.E{Key: k, Value: 1})
		}
		return mongo.IndexModel{Keys: d, Options: options.Index().SetName(name)}
	}
	specs := map[string][]mongo.IndexModel{
		ProducersCollection: {
			// Sparse, so that the producers without a NIB on file do not
			// collide on a missing value.
			{Keys: bson.D{{Key: "businessId", Value: 1}}, Options: options.Index().SetName(businessIDIndex).SetUnique(true).SetSparse(true)},
			idx("district", "district"),
		},
		ListingsCollection: {
			idx("parent_id", "parent", "_id"),
			idx("state_category", "state", "category"),
			idx("hs_code", "hsCode"),
			idx("ship_to", "shipToCountryCodes"),
		},
		BuyersCollection: {
			idx("country", "countryCode"),
		},
		BuyingRequestsCollection: {
			idx("parent_id", "parent", "_id"),
			idx("state_expire", "state", "expireTime"),
			idx("destination", "destinationCountryCode"),
		},
		RequirementsCollection: {
			idx("destination", "destinationCountryCode"),
		},
		ChangesCollection: {
			idx("at", "at", "_id"),
		},
		MatchesCollection: {
			idx("member_producers_state", "memberProducers", "state"),
			idx("buyer_state", "buyer", "state"),
			idx("buying_request", "buyingRequest"),
		},
		AuditCollection: {
			// Lists page on _id, which orders by time; these serve the
			// auditor's "what did this actor do" and ad-hoc or pruning
			// queries by time.
			idx("event_time", "eventTime"),
			idx("actor_id", "actor", "_id"),
		},
	}
	for coll, models := range specs {
		if err := s.ensureIndexesOf(ctx, coll, models); err != nil {
			return err
		}
	}
	return s.backfillMemberProducers(ctx)
}

// ensureIndexesOf creates the indexes of coll that are missing by name,
// one CreateOne each: FerretDB 1.24's CreateMany can skip or crash on a mix
// of existing and new indexes.
func (s *Store) ensureIndexesOf(ctx context.Context, coll string, models []mongo.IndexModel) error {
	existing, err := s.indexNames(ctx, coll)
	if err != nil {
		return err
	}
	for _, m := range models {
		opts := &options.IndexOptions{}
		for _, set := range m.Options.List() {
			if err := set(opts); err != nil {
				return err
			}
		}
		if existing[*opts.Name] {
			continue
		}
		if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index %s on %s: %w", *opts.Name, coll, err)
		}
	}
	return nil
}

func (s *Store) indexNames(ctx context.Context, coll string) (map[string]bool, error) {
	cur, err := s.db.Collection(coll).Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", coll, err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", coll, err)
	}
	names := map[string]bool{}
	for _, sp := range specs {
		names[sp.Name] = true
	}
	return names, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.Client().Ping(ctx, readpref.Primary())
}

// Empty reports whether the database holds no producers and no buyers; the
// demo data is loaded only into an empty database.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	for _, c := range []string{ProducersCollection, BuyersCollection} {
		n, err := s.db.Collection(c).CountDocuments(ctx, bson.M{}, options.Count().SetLimit(1))
		if err != nil {
			return false, fmt.Errorf("count %s: %w", c, err)
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// CreateProducer stores a new producer; p.Name must be set.
func (s *Store) CreateProducer(ctx context.Context, p *pb.Producer, requestID string) (*pb.Producer, error) {
	return s.producers.create(ctx, p, requestID)
}

// GetProducer returns the producer with that name.
func (s *Store) GetProducer(ctx context.Context, name string) (*pb.Producer, error) {
	return s.producers.get(ctx, name)
}

// ListProducers returns a page of producers and whether more follow.
func (s *Store) ListProducers(ctx context.Context, o store.ListOptions) ([]*pb.Producer, bool, error) {
	return s.producers.list(ctx, o)
}

// UpdateProducer applies mutate to the stored producer; see resource.update.
func (s *Store) UpdateProducer(ctx context.Context, name, etag string, mutate func(*pb.Producer) error) (*pb.Producer, error) {
	return s.producers.update(ctx, name, etag, mutate)
}

// DeleteProducer deletes a producer. Without force it refuses while the
// producer has listings; with force it deletes the listings first, so that a
// failure half way leaves a producer with fewer listings, never orphans.
func (s *Store) DeleteProducer(ctx context.Context, name, etag string, force bool) error {
	cur, err := s.producers.get(ctx, name)
	if err != nil {
		return err
	}
	// Check the etag before touching the listings: a stale delete must not
	// remove anything.
	if etag != "" && etag != cur.GetEtag() {
		return fmt.Errorf("%w: etag %q is not the current etag of producer %q; read it again and retry", store.ErrConflict, etag, name)
	}
	n, err := s.listings.countChildren(ctx, name)
	if err != nil {
		return err
	}
	if n > 0 && !force {
		return fmt.Errorf("%w: producer %q still has %d listing(s); delete them first or set force", store.ErrFailedPrecondition, name, n)
	}
	if n > 0 {
		if err := s.listings.deleteChildren(ctx, name); err != nil {
			return err
		}
	}
	if err := s.producers.delete(ctx, name, etag); err != nil {
		return err
	}
	// A listing created while the producer was being deleted would be
	// orphaned; sweep once more.
	return s.listings.deleteChildren(ctx, name)
}

// CreateListing stores a new listing; l.Name must be set and its producer
// must exist.
func (s *Store) CreateListing(ctx context.Context, l *pb.Listing, requestID string) (*pb.Listing, error) {
	return s.listings.create(ctx, l, requestID)
}

// GetListing returns the listing with that name.
func (s *Store) GetListing(ctx context.Context, name string) (*pb.Listing, error) {
	return s.listings.get(ctx, name)
}

// ListListings returns a page of listings and whether more follow.
func (s *Store) ListListings(ctx context.Context, o store.ListOptions) ([]*pb.Listing, bool, error) {
	return s.listings.list(ctx, o)
}

// UpdateListing applies mutate to the stored listing; see resource.update.
func (s *Store) UpdateListing(ctx context.Context, name, etag string, mutate func(*pb.Listing) error) (*pb.Listing, error) {
	return s.listings.update(ctx, name, etag, mutate)
}

// DeleteListing deletes a listing.
func (s *Store) DeleteListing(ctx context.Context, name, etag string) error {
	return s.listings.delete(ctx, name, etag)
}

// AllListings calls fn for every listing, in no particular order; for read
// models that load the whole catalogue.
func (s *Store) AllListings(ctx context.Context, fn func(*pb.Listing) error) error {
	return s.listings.all(ctx, fn)
}

// AllProducers calls fn for every producer, in no particular order.
func (s *Store) AllProducers(ctx context.Context, fn func(*pb.Producer) error) error {
	return s.producers.all(ctx, fn)
}

// CreateBuyer stores a new buyer; b.Name must be set.
func (s *Store) CreateBuyer(ctx context.Context, b *pb.Buyer, requestID string) (*pb.Buyer, error) {
	return s.buyers.create(ctx, b, requestID)
}

// GetBuyer returns the buyer with that name.
func (s *Store) GetBuyer(ctx context.Context, name string) (*pb.Buyer, error) {
	return s.buyers.get(ctx, name)
}

// ListBuyers returns a page of buyers and whether more follow.
func (s *Store) ListBuyers(ctx context.Context, o store.ListOptions) ([]*pb.Buyer, bool, error) {
	return s.buyers.list(ctx, o)
}

// UpdateBuyer applies mutate to the stored buyer; see resource.update.
func (s *Store) UpdateBuyer(ctx context.Context, name, etag string, mutate func(*pb.Buyer) error) (*pb.Buyer, error) {
	return s.buyers.update(ctx, name, etag, mutate)
}

// DeleteBuyer deletes a buyer, with its buying requests when force is set.
func (s *Store) DeleteBuyer(ctx context.Context, name, etag string, force bool) error {
	cur, err := s.buyers.get(ctx, name)
	if err != nil {
		return err
	}
	if etag != "" && etag != cur.GetEtag() {
		return fmt.Errorf("%w: etag %q is not the current etag of buyer %q; read it again and retry", store.ErrConflict, etag, name)
	}
	n, err := s.requests.countChildren(ctx, name)
	if err != nil {
		return err
	}
	if n > 0 && !force {
		return fmt.Errorf("%w: buyer %q still has %d buying request(s); delete them first or set force", store.ErrFailedPrecondition, name, n)
	}
	if n > 0 {
		if err := s.requests.deleteChildren(ctx, name); err != nil {
			return err
		}
	}
	if err := s.buyers.delete(ctx, name, etag); err != nil {
		return err
	}
	return s.requests.deleteChildren(ctx, name)
}

// CreateBuyingRequest stores a new buying request; r.Name must be set.
func (s *Store) CreateBuyingRequest(ctx context.Context, r *pb.BuyingRequest, requestID string) (*pb.BuyingRequest, error) {
	return s.requests.create(ctx, r, requestID)
}

// GetBuyingRequest returns the buying request with that name.
func (s *Store) GetBuyingRequest(ctx context.Context, name string) (*pb.BuyingRequest, error) {
	return s.requests.get(ctx, name)
}

// ListBuyingRequests returns a page of buying requests and whether more follow.
func (s *Store) ListBuyingRequests(ctx context.Context, o store.ListOptions) ([]*pb.BuyingRequest, bool, error) {
	return s.requests.list(ctx, o)
}

// UpdateBuyingRequest applies mutate to the stored request; see resource.update.
func (s *Store) UpdateBuyingRequest(ctx context.Context, name, etag string, mutate func(*pb.BuyingRequest) error) (*pb.BuyingRequest, error) {
	return s.requests.update(ctx, name, etag, mutate)
}

// DeleteBuyingRequest deletes a buying request.
func (s *Store) DeleteBuyingRequest(ctx context.Context, name, etag string) error {
	return s.requests.delete(ctx, name, etag)
}

// expireBuyingRequest derives the EXPIRED state: an OPEN request whose
// expire_time has passed is expired, without a background job having to
// rewrite it first (and without a TTL index, which FerretDB lacks).
func expireBuyingRequest(r *pb.BuyingRequest, now time.Time) {
	if r.GetState() == pb.BuyingRequest_OPEN && r.GetExpireTime() != nil && !r.GetExpireTime().AsTime().After(now) {
		r.State = pb.BuyingRequest_EXPIRED
	}
}

// buyingRequestStateCondition translates filters on state with the derived
// EXPIRED state in mind.
func buyingRequestStateCondition(c query.Condition, now time.Time) (bson.M, bool) {
	if c.Field != "state" {
		return nil, false
	}
	state, _ := c.Value.(string)
	open := pb.BuyingRequest_OPEN.String()
	expired := pb.BuyingRequest_EXPIRED.String()
	var m bson.M
	switch state {
	case open:
		m = bson.M{"state": open, "expireTime": bson.M{"$gt": now}}
	case expired:
		m = bson.M{"$or": bson.A{
			bson.M{"state": expired},
			bson.M{"state": open, "expireTime": bson.M{"$lte": now}},
		}}
	default:
		m = bson.M{"state": state}
	}
	if c.Op == query.Ne {
		m = bson.M{"$nor": bson.A{m}}
	}
	return m, true
}

// CreateRequirement stores a new requirement; r.Name must be set.
func (s *Store) CreateRequirement(ctx context.Context, r *pb.Requirement, requestID string) (*pb.Requirement, error) {
	return s.reqs.create(ctx, r, requestID)
}

// GetRequirement returns the requirement with that name.
func (s *Store) GetRequirement(ctx context.Context, name string) (*pb.Requirement, error) {
	return s.reqs.get(ctx, name)
}

// ListRequirements returns a page of requirements and whether more follow.
func (s *Store) ListRequirements(ctx context.Context, o store.ListOptions) ([]*pb.Requirement, bool, error) {
	return s.reqs.list(ctx, o)
}

// UpdateRequirement applies mutate to the stored requirement.
func (s *Store) UpdateRequirement(ctx context.Context, name, etag string, mutate func(*pb.Requirement) error) (*pb.Requirement, error) {
	return s.reqs.update(ctx, name, etag, mutate)
}

// DeleteRequirement deletes a requirement.
func (s *Store) DeleteRequirement(ctx context.Context, name, etag string) error {
	return s.reqs.delete(ctx, name, etag)
}

// AllRequirements returns the whole catalogue (a few hundred rows at most),
// in name order.
func (s *Store) AllRequirements(ctx context.Context) ([]*pb.Requirement, error) {
	var out []*pb.Requirement
	err := s.reqs.all(ctx, func(r *pb.Requirement) error { out = append(out, r); return nil })
	slices.SortFunc(out, func(a, b *pb.Requirement) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out, err
}

// RequirementsEmpty reports whether the catalogue has no rows, so that the
// seed catalogue is loaded once and never over the trade office's edits.
func (s *Store) RequirementsEmpty(ctx context.Context) (bool, error) {
	n, err := s.reqs.coll.CountDocuments(ctx, bson.M{}, options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("count requirements: %w", err)
	}
	return n == 0, nil
}
