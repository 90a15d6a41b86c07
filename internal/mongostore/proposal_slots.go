package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// ProposalSlotsCollection holds one document per open proposal a producer
// takes part in, at most the cap per producer.
const ProposalSlotsCollection = "proposal_slots"

// slotGrace is how long a slot whose match does not exist (yet) is left to
// the proposal being created: longer than any request.
const slotGrace = time.Minute

type slotDoc struct {
	ID    string    `bson:"_id"`
	Match string    `bson:"match"`
	At    time.Time `bson:"at"`
}

func slotID(producer string, k int) string { return fmt.Sprintf("%s#%d", producer, k) }

// ClaimProposalSlots makes the cap on open proposals per producer atomic
// without transactions: a proposal takes one of the producer's max slots,
// producer#0 .. producer#max-1, for each member producer, by inserting a
// document with that unique id (atomic on MongoDB and FerretDB alike). A
// slot is free when it does not exist or its match is no longer open
// (answered, closed, expired, or never created); a free slot that exists
// is taken over by a delete conditional on its match. It reports false,
// and takes nothing, when some producer has no free slot. release gives
// the slots back (for a proposal that was then not stored).
func (s *Store) ClaimProposalSlots(ctx context.Context, producers []string, match string, max int) (ok bool, release func(), err error) {
	coll := s.db.Collection(ProposalSlotsCollection)
	var taken []string
	release = func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		for _, id := range taken {
			_, _ = coll.DeleteOne(rctx, bson.M{"_id": id, "match": match})
		}
	}
	for _, p := range producers {
		id, err := s.claimSlot(ctx, coll, p, match, max)
		if err != nil || id == "" {
			release()
			return false, func() {}, err
		}
		taken = append(taken, id)
	}
	return true, release, nil
}

func (s *Store) claimSlot(ctx context.Context, coll *mongo.Collection, producer, match string, max int) (string, error) {
	for k := range max {
		id := slotID(producer, k)
		for attempt := 0; attempt < 2; attempt++ {
			_, err := coll.InsertOne(ctx, slotDoc{ID: id, Match: match, At: s.matches.now().UTC()})
			if err == nil {
				return id, nil
			}
			if !mongo.IsDuplicateKeyError(err) {
				return "", fmt.Errorf("claim proposal slot: %w", err)
			}
			var held slotDoc
			err = coll.FindOne(ctx, bson.M{"_id": id}).Decode(&held)
			if errors.Is(err, mongo.ErrNoDocuments) {
				continue // freed meanwhile: try again
			}
			if err != nil {
				return "", fmt.Errorf("read proposal slot: %w", err)
			}
			if held.Match == match {
				return id, nil // a retry of the same proposal
			}
			free, err := s.slotFree(ctx, held)
			if err != nil {
				return "", err
			}
			if !free {
				break // next slot
			}
			if _, err := coll.DeleteOne(ctx, bson.M{"_id": id, "match": held.Match}); err != nil {
				return "", fmt.Errorf("free proposal slot: %w", err)
			}
		}
	}
	return "", nil
}

func (s *Store) slotFree(ctx context.Context, held slotDoc) (bool, error) {
	m, err := s.matches.get(ctx, held.Match)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return s.matches.now().Sub(held.At) > slotGrace, nil
	case err != nil:
		return false, err
	}
	return m.GetState() != pb.Match_PROPOSED, nil
}
