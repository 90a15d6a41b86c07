package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/quote"
	"github.com/adiekspor/temubisnis/internal/store"
)

// QuotesCollection holds quotes; the _id is the quote's name.
const QuotesCollection = "quotes"

// Quotes keeps quotes. It shares the Store's database, clock and write
// claims, and lives beside it so that the quote feature stays in files of
// its own.
type Quotes struct {
	s   *Store
	res *resource[*pb.Quote, quoteDoc]
}

// NewQuotes returns the quote store of s.
func NewQuotes(s *Store) *Quotes {
	return &Quotes{s: s, res: &resource[*pb.Quote, quoteDoc]{
		coll: s.db.Collection(QuotesCollection), noun: "quote",
		toDoc: quoteToDoc, fromDoc: quoteFromDoc,
		meta: func(d *quoteDoc) meta {
			return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
		},
		fields:    quoteFilterFields,
		condition: quoteStateCondition,
		fromDocAt: quote.Expire,
		claims:    s.matches.claims,
		now:       s.matches.now,
	}}
}

// EnsureIndexes creates the quote indexes; idempotent, like Store's.
func (q *Quotes) EnsureIndexes(ctx context.Context) error {
	existing, err := q.s.indexNames(ctx, QuotesCollection)
	if err != nil {
		return err
	}
	for name, keys := range map[string]bson.D{
		"parent_id":      {{Key: "parent", Value: 1}, {Key: "_id", Value: 1}},
		"producer_state": {{Key: "producer", Value: 1}, {Key: "state", Value: 1}},
	} {
		if existing[name] {
			continue
		}
		if _, err := q.res.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: options.Index().SetName(name)}); err != nil {
			return fmt.Errorf("create index %s on %s: %w", name, QuotesCollection, err)
		}
	}
	return nil
}

// quoteStateCondition filters on the derived state: an OPEN quote past its
// validity reads as EXPIRED.
func quoteStateCondition(c query.Condition, now time.Time) (bson.M, bool) {
	if c.Field != "state" {
		return nil, false
	}
	state, _ := c.Value.(string)
	open, expired := pb.Quote_OPEN.String(), pb.Quote_EXPIRED.String()
	var m bson.M
	switch state {
	case open:
		m = bson.M{"state": open, "expireTime": bson.M{"$gt": now}}
	case expired:
		m = bson.M{"$or": bson.A{bson.M{"state": expired}, bson.M{"state": open, "expireTime": bson.M{"$lte": now}}}}
	default:
		m = bson.M{"state": state}
	}
	if c.Op == query.Ne {
		m = bson.M{"$nor": bson.A{m}}
	}
	return m, true
}

// CreateQuote stores a new quote; its name must be set.
func (q *Quotes) CreateQuote(ctx context.Context, m *pb.Quote, requestID string) (*pb.Quote, error) {
	return q.res.create(ctx, m, requestID)
}

// GetQuote returns the quote with that name.
func (q *Quotes) GetQuote(ctx context.Context, name string) (*pb.Quote, error) {
	return q.res.get(ctx, name)
}

// ListQuotes returns a page of quotes (of o.Parent, or of every request
// when it is empty) and whether more follow.
func (q *Quotes) ListQuotes(ctx context.Context, o store.ListOptions) ([]*pb.Quote, bool, error) {
	return q.res.list(ctx, o)
}

// UpdateQuote applies mutate to the stored quote.
func (q *Quotes) UpdateQuote(ctx context.Context, name, etag string, mutate func(*pb.Quote) error) (*pb.Quote, error) {
	return q.res.update(ctx, name, etag, mutate)
}

// CountOpenQuotes counts the unexpired open quotes of a firm.
func (q *Quotes) CountOpenQuotes(ctx context.Context, producer string) (int64, error) {
	n, err := q.res.coll.CountDocuments(ctx, bson.M{
		"producer":   producer,
		"state":      pb.Quote_OPEN.String(),
		"expireTime": bson.M{"$gt": q.res.now().UTC()},
	})
	if err != nil {
		return 0, fmt.Errorf("count open quotes: %w", err)
	}
	return n, nil
}
