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
	"github.com/adiekspor/temubisnis/internal/shipment"
	"github.com/adiekspor/temubisnis/internal/store"
)

// ShipmentsCollection holds shipments; the _id is the shipment's name.
const ShipmentsCollection = "shipments"

// Shipments keeps the shipments of deals, beside the Store whose database,
// clock and write claims it shares.
type Shipments struct {
	s   *Store
	res *resource[*pb.Shipment, shipmentDoc]
}

// NewShipments returns the shipment store of s.
func NewShipments(s *Store) *Shipments {
	return &Shipments{s: s, res: &resource[*pb.Shipment, shipmentDoc]{
		coll: s.db.Collection(ShipmentsCollection), noun: "shipment",
		toDoc: shipmentToDoc, fromDoc: shipmentFromDoc,
		meta: func(d *shipmentDoc) meta {
			return meta{&d.ID, &d.Version, &d.RequestID, &d.CreateTime, &d.UpdateTime, nil}
		},
		fields:    shipmentFilterFields,
		condition: shipmentOverdueCondition,
		fromDocAt: shipment.MarkOverdue,
		claims:    s.matches.claims,
		now:       s.matches.now,
	}}
}

// EnsureIndexes creates the shipment indexes; idempotent.
func (sh *Shipments) EnsureIndexes(ctx context.Context) error {
	existing, err := sh.s.indexNames(ctx, ShipmentsCollection)
	if err != nil {
		return err
	}
	for name, keys := range map[string]bson.D{
		"parent_id": {{Key: "parent", Value: 1}, {Key: "_id", Value: 1}},
		"producer":  {{Key: "producer", Value: 1}},
		// A buyer's shipments across its deals (matches/- with buyer = b).
		"buyer":           {{Key: "buyer", Value: 1}},
		"earliestOpenDue": {{Key: "earliestOpenDue", Value: 1}},
	} {
		if existing[name] {
			continue
		}
		if _, err := sh.res.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: keys, Options: options.Index().SetName(name)}); err != nil {
			return fmt.Errorf("create index %s on %s: %w", name, ShipmentsCollection, err)
		}
	}
	return nil
}

// shipmentOverdueCondition translates `overdue = true|false`: a paper still
// to do is due before today (in Blitar).
func shipmentOverdueCondition(c query.Condition, now time.Time) (bson.M, bool) {
	if c.Field != "overdue" {
		return nil, false
	}
	want, _ := c.Value.(bool)
	if c.Op == query.Ne {
		want = !want
	}
	overdue := bson.M{"earliestOpenDue": bson.M{"$lt": shipment.Today(now)}}
	if want {
		return overdue, true
	}
	return bson.M{"$nor": bson.A{overdue}}, true
}

// CreateShipment stores a new shipment; its name must be set.
func (sh *Shipments) CreateShipment(ctx context.Context, s *pb.Shipment, requestID string) (*pb.Shipment, error) {
	return sh.res.create(ctx, s, requestID)
}

// GetShipment returns the shipment with that name.
func (sh *Shipments) GetShipment(ctx context.Context, name string) (*pb.Shipment, error) {
	return sh.res.get(ctx, name)
}

// ListShipments returns a page of shipments and whether more follow.
func (sh *Shipments) ListShipments(ctx context.Context, o store.ListOptions) ([]*pb.Shipment, bool, error) {
	return sh.res.list(ctx, o)
}

// UpdateShipment applies mutate to the stored shipment.
func (sh *Shipments) UpdateShipment(ctx context.Context, name, etag string, mutate func(*pb.Shipment) error) (*pb.Shipment, error) {
	return sh.res.update(ctx, name, etag, mutate)
}
