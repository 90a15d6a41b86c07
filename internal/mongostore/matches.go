package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Collection names of the match life cycle.
const (
	MatchesCollection         = "matches"
	AppliedRequestsCollection = "applied_requests"
)

func newMatchResource(db *mongo.Database) *resource[*pb.Match, matchDoc] {
	return &resource[*pb.Match, matchDoc]{
		coll: db.Collection(MatchesCollection), noun: "match",
		toDoc: matchToDoc, fromDoc: matchFromDoc,
		meta: func(d *matchDoc) meta {
			return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime}
		},
		fields:    matchFilterFields,
		condition: matchStateCondition,
		fromDocAt: expireMatch,
		now:       time.Now,
	}
}

// expireMatch derives EXPIRED for a proposal nobody answered in time, the
// same way buying requests expire: no background job, no TTL index.
func expireMatch(m *pb.Match, now time.Time) {
	if m.GetState() == pb.Match_PROPOSED && m.GetExpireTime() != nil && !m.GetExpireTime().AsTime().After(now) {
		m.State = pb.Match_EXPIRED
	}
}

func matchStateCondition(c query.Condition, now time.Time) (bson.M, bool) {
	if c.Field != "state" {
		return nil, false
	}
	state, _ := c.Value.(string)
	proposed, expired := pb.Match_PROPOSED.String(), pb.Match_EXPIRED.String()
	var m bson.M
	switch state {
	case proposed:
		m = bson.M{"state": proposed, "expireTime": bson.M{"$gt": now}}
	case expired:
		m = bson.M{"$or": bson.A{
			bson.M{"state": expired},
			bson.M{"state": proposed, "expireTime": bson.M{"$lte": now}},
		}}
	default:
		m = bson.M{"state": state}
	}
	if c.Op == query.Ne {
		m = bson.M{"$nor": bson.A{m}}
	}
	return m, true
}

// CreateMatch stores a new match; m.Name must be set.
func (s *Store) CreateMatch(ctx context.Context, m *pb.Match, requestID string) (*pb.Match, error) {
	return s.matches.create(ctx, m, requestID)
}

// GetMatch returns the match with that name.
func (s *Store) GetMatch(ctx context.Context, name string) (*pb.Match, error) {
	return s.matches.get(ctx, name)
}

// ListMatches returns a page of matches and whether more follow.
func (s *Store) ListMatches(ctx context.Context, o store.ListOptions) ([]*pb.Match, bool, error) {
	return s.matches.list(ctx, o)
}

// UpdateMatch applies mutate to the stored match.
func (s *Store) UpdateMatch(ctx context.Context, name, etag string, mutate func(*pb.Match) error) (*pb.Match, error) {
	return s.matches.update(ctx, name, etag, mutate)
}

// CountOpenProposals counts the unexpired proposals a producer is part of.
func (s *Store) CountOpenProposals(ctx context.Context, producer string) (int64, error) {
	now := s.matches.now().UTC()
	n, err := s.matches.coll.CountDocuments(ctx, bson.M{
		"members.producer": producer,
		"state":            pb.Match_PROPOSED.String(),
		"expireTime":       bson.M{"$gt": now},
	})
	if err != nil {
		return 0, fmt.Errorf("count open proposals: %w", err)
	}
	return n, nil
}

// AllMatches calls fn for every match, in no particular order.
func (s *Store) AllMatches(ctx context.Context, fn func(*pb.Match) error) error {
	return s.matches.all(ctx, fn)
}

// MarkApplied records that the request with key was applied; false means it
// had been already. Inserting a unique _id is atomic on MongoDB and FerretDB
// alike, so two copies of the same request racing each other apply once.
func (s *Store) MarkApplied(ctx context.Context, key string) (bool, error) {
	_, err := s.db.Collection(AppliedRequestsCollection).InsertOne(ctx, bson.M{"_id": key, "at": s.matches.now().UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark request applied: %w", err)
	}
	return true, nil
}

// UnmarkApplied forgets a request whose application failed, so that a retry
// can apply it.
func (s *Store) UnmarkApplied(ctx context.Context, key string) {
	_, _ = s.db.Collection(AppliedRequestsCollection).DeleteOne(context.WithoutCancel(ctx), bson.M{"_id": key})
}

// PruneAppliedRequests forgets idempotency markers older than before:
// retries come within minutes, not weeks.
func (s *Store) PruneAppliedRequests(ctx context.Context, before time.Time) error {
	if _, err := s.db.Collection(AppliedRequestsCollection).DeleteMany(ctx, bson.M{"at": bson.M{"$lt": before.UTC()}}); err != nil {
		return fmt.Errorf("prune applied requests: %w", err)
	}
	return nil
}
