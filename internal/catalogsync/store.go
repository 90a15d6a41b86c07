package catalogsync

import (
	"context"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/mongostore"
)

// Store is the MongoDB store with write-through to this replica's catalogue:
// a write that succeeds is put into the index before the call returns, so a
// buyer who just changed a listing finds it changed at once. Other replicas
// learn of it through the change log.
type Store struct {
	*mongostore.Store
	Index Sink
	// Lists, when set, serves ListListings once Ready reports the read
	// model loaded (see lists.go).
	Lists ListingLister
	Ready func() bool
}

// CreateProducer stores and indexes a producer.
func (s *Store) CreateProducer(ctx context.Context, p *pb.Producer, requestID string) (*pb.Producer, error) {
	out, err := s.Store.CreateProducer(ctx, p, requestID)
	if err == nil {
		s.Index.PutProducer(out)
	}
	return out, err
}

// UpdateProducer stores and indexes a producer.
func (s *Store) UpdateProducer(ctx context.Context, name, etag string, mutate func(*pb.Producer) error) (*pb.Producer, error) {
	out, err := s.Store.UpdateProducer(ctx, name, etag, mutate)
	if err == nil {
		s.Index.PutProducer(out)
	}
	return out, err
}

// DeleteProducer deletes a producer (and with force its listings) from the
// store and the index.
func (s *Store) DeleteProducer(ctx context.Context, name, etag string, force bool) error {
	err := s.Store.DeleteProducer(ctx, name, etag, force)
	if err == nil {
		// Also drops the producer's listings from the index.
		s.Index.DeleteProducer(name)
	}
	return err
}

// CreateListing stores and indexes a listing.
func (s *Store) CreateListing(ctx context.Context, l *pb.Listing, requestID string) (*pb.Listing, error) {
	out, err := s.Store.CreateListing(ctx, l, requestID)
	if err == nil {
		s.Index.PutListing(out)
	}
	return out, err
}

// UpdateListing stores and indexes a listing.
func (s *Store) UpdateListing(ctx context.Context, name, etag string, mutate func(*pb.Listing) error) (*pb.Listing, error) {
	out, err := s.Store.UpdateListing(ctx, name, etag, mutate)
	if err == nil {
		s.Index.PutListing(out)
	}
	return out, err
}

// DeleteListing deletes a listing from the store and the index.
func (s *Store) DeleteListing(ctx context.Context, name, etag string) error {
	err := s.Store.DeleteListing(ctx, name, etag)
	if err == nil {
		s.Index.DeleteListing(name)
	}
	return err
}

// UpdateExchangeRates stores the table and makes the index use it.
func (s *Store) UpdateExchangeRates(ctx context.Context, etag string, mutate func(*pb.ExchangeRates) error) (*pb.ExchangeRates, error) {
	out, err := s.Store.UpdateExchangeRates(ctx, etag, mutate)
	if err == nil {
		s.Index.SetExchangeRates(out)
	}
	return out, err
}
