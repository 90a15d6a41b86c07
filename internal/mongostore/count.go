package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CountListings counts the stored listings, for the progress of the
// catalogue load.
func (s *Store) CountListings(ctx context.Context) (int64, error) {
	n, err := s.listings.coll.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count listings: %w", err)
	}
	return n, nil
}
