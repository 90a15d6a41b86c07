package mongostore

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// dated is a stored message that knows when it was created.
type dated interface {
	message
	GetCreateTime() *timestamppb.Timestamp
	GetUpdateTime() *timestamppb.Timestamp
}

// insertDated stores past resources with the creation and update times
// they carry, which a create would replace by now: the statistics count
// requests and matches by when they were made.
func insertDated[M dated, D any](ctx context.Context, r *resource[M, D], items []M) error {
	for _, m := range items {
		d, err := r.toDoc(m)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", r.noun, m.GetName(), err)
		}
		mt := r.meta(d)
		created := m.GetCreateTime().AsTime().UTC().Truncate(time.Millisecond)
		updated := created
		if m.GetUpdateTime() != nil {
			updated = m.GetUpdateTime().AsTime().UTC().Truncate(time.Millisecond)
		}
		*mt.version, *mt.createTime, *mt.updateTime = 1, created, updated
		if _, err := r.coll.InsertOne(ctx, d); err != nil {
			return fmt.Errorf("import %s %s: %w", r.noun, m.GetName(), err)
		}
	}
	return nil
}

// ImportHistory stores a history of trade (closed requests, the matches
// closed with deals on them, their shipments) into a new database, keeping
// the times they carry.
func (s *Store) ImportHistory(ctx context.Context, requests []*pb.BuyingRequest, matches []*pb.Match, shipments []*pb.Shipment) error {
	if err := insertDated(ctx, s.requests, requests); err != nil {
		return err
	}
	if err := insertDated(ctx, s.matches, matches); err != nil {
		return err
	}
	return insertDated(ctx, NewShipments(s).res, shipments)
}
