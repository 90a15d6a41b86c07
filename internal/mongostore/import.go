package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo/options"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// importBatch is the number of documents per InsertMany.
const importBatch = 1000

// insertMany stores new resources in batches, for loading data sets (the
// demo data, synthetic catalogues of 100,000 listings) where one round trip
// per document would take minutes. It does not record changes: it is meant
// for an empty database at start-up.
func (r *resource[M, D]) insertMany(ctx context.Context, items []M) error {
	now := r.now().UTC().Truncate(time.Millisecond)
	batch := make([]any, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := r.coll.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false)); err != nil {
			return fmt.Errorf("import %ss: %w", r.noun, err)
		}
		batch = batch[:0]
		return nil
	}
	for _, m := range items {
		d, err := r.toDoc(m)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", r.noun, m.GetName(), err)
		}
		mt := r.meta(d)
		*mt.version, *mt.createTime, *mt.updateTime = 1, now, now
		batch = append(batch, d)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Import stores a whole data set into empty collections.
func (s *Store) Import(ctx context.Context, producers []*pb.Producer, listings []*pb.Listing, buyers []*pb.Buyer, requests []*pb.BuyingRequest) error {
	if err := s.producers.insertMany(ctx, producers); err != nil {
		return err
	}
	if err := s.listings.insertMany(ctx, listings); err != nil {
		return err
	}
	if err := s.buyers.insertMany(ctx, buyers); err != nil {
		return err
	}
	return s.requests.insertMany(ctx, requests)
}

// ImportRequirements stores the seed requirement catalogue.
func (s *Store) ImportRequirements(ctx context.Context, reqs []*pb.Requirement) error {
	return s.reqs.insertMany(ctx, reqs)
}
