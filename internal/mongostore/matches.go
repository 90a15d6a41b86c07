package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matchflow"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// MatchesCollection holds the matches. (Answers' idempotency keys live in
// the match documents; the former applied_requests collection is no longer
// written or read.)
const MatchesCollection = "matches"

func newMatchResource(db *mongo.Database) *resource[*pb.Match, matchDoc] {
	return &resource[*pb.Match, matchDoc]{
		coll: db.Collection(MatchesCollection), noun: "match",
		toDoc: matchToDoc, fromDoc: matchFromDoc,
		meta: func(d *matchDoc) meta {
			return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, &d.AppliedAnswers}
		},
		fields:    matchFilterFields,
		condition: matchStateCondition,
		fromDocAt: expireMatch,
		now:       time.Now,
	}
}

// expireMatch derives EXPIRED when a match is read (matchflow.Expire): no
// background job, no TTL index. matchStateCondition below is the same rule
// as a query.
func expireMatch(m *pb.Match, now time.Time) { matchflow.Expire(m, now) }

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
		"memberProducers": producer,
		"state":           pb.Match_PROPOSED.String(),
		"expireTime":      bson.M{"$gt": now},
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

// AnswerMatch applies an answer (mutate) to the stored match once per key:
// the key is stored in the match with the answer, in one conditional write,
// and a repeated key returns the stored match without applying it again.
// Without a key it is UpdateMatch without etag.
func (s *Store) AnswerMatch(ctx context.Context, name, key string, mutate func(*pb.Match) error) (*pb.Match, error) {
	return s.matches.updateOnce(ctx, name, "", key, mutate)
}

// memberProducersBackfilledName is the settings document saying that every
// match has memberProducers, so start-up need not look for ones without it.
const memberProducersBackfilledName = "memberProducersBackfilled"

// backfillMemberProducers writes memberProducers into the matches stored
// before the field existed, once: a complete backfill stores a marker in
// the settings collection (as the database id is kept), and a later start
// that finds the marker reads no matches at all. Every writer of this
// version stores the field, so nothing written after the marker lacks it
// (a replica of a version before the field, still running during a rolling
// upgrade, could write one; such a match lists under its producer once it
// is next written).
//
// Each write holds the claim on the match's next version, as an update
// does, so that it cannot undo a concurrent write on FerretDB (whose
// conditional writes are not atomic); a match being written is skipped,
// since its writer stores the field, but then the backfill is not known to
// be complete and the marker waits for the next start. The version is left
// as it is: the resource has not changed.
func (s *Store) backfillMemberProducers(ctx context.Context) error {
	settings := s.db.Collection(SettingsCollection)
	err := settings.FindOne(ctx, bson.M{"_id": memberProducersBackfilledName}).Err()
	if err == nil {
		return nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("read %s marker: %w", memberProducersBackfilledName, err)
	}
	cur, err := s.matches.coll.Find(ctx, bson.M{"memberProducers": bson.M{"$exists": false}},
		options.Find().SetProjection(bson.M{"_id": 1, "version": 1, "members.producer": 1}))
	if err != nil {
		return fmt.Errorf("find matches without memberProducers: %w", err)
	}
	var docs []struct {
		ID      string           `bson:"_id"`
		Version int64            `bson:"version"`
		Members []matchMemberDoc `bson:"members"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("find matches without memberProducers: %w", err)
	}
	complete := true
	for _, d := range docs {
		held, err := s.matches.claims.claim(ctx, d.ID, d.Version+1)
		if err != nil {
			return err
		}
		if held == nil {
			complete = false
			continue
		}
		res, err := s.matches.coll.UpdateOne(ctx, bson.M{"_id": d.ID, "version": d.Version},
			bson.M{"$set": bson.M{"memberProducers": memberProducers(d.Members)}})
		held.stop()
		s.matches.claims.release(ctx, d.ID, d.Version+1)
		if err != nil {
			return fmt.Errorf("backfill memberProducers of %s: %w", d.ID, err)
		}
		if res.MatchedCount == 0 {
			// Written meanwhile (by a writer that stores the field, or
			// deleted); not checked again here.
			complete = false
		}
	}
	if !complete {
		return nil
	}
	if _, err := settings.InsertOne(ctx, bson.M{"_id": memberProducersBackfilledName}); err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("write %s marker: %w", memberProducersBackfilledName, err)
	}
	return nil
}
