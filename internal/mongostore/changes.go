package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/notify"
)

// ChangesCollection is the change log that keeps the in-memory read models of
// every replica current. FerretDB has no change streams, so every write
// appends a small entry here and every replica polls for entries newer than
// the last it saw; entries are pruned by age.
const ChangesCollection = "changes"

// Change says that the resource with Name was written (or deleted) at At.
// Readers re-read the resource itself, so a change carries no payload and
// the order of changes to different resources does not matter.
type Change struct {
	ID   bson.ObjectID `bson:"_id"`
	At   time.Time     `bson:"at"`
	Kind string        `bson:"kind"` // "producer", "listing", "buyer", "buying request", "requirement", "exchange rates"
	Name string        `bson:"name"`
	// Prefix is set when many resources were deleted at once: every resource
	// whose name starts with it is gone (the listings of a deleted producer).
	Prefix bool `bson:"prefix,omitempty"`
}

type changeLog struct {
	coll *mongo.Collection
	now  func() time.Time
}

// record appends a change. It is best effort: the write it describes has
// happened and must not be reported as failed; a replica that misses the
// entry catches up at its next periodic full reload.
func (c *changeLog) record(ctx context.Context, kind, name string, prefix bool) {
	if c == nil {
		return
	}
	// Not cut short by a caller that went away, but bounded: every store
	// call ends, even when the database hangs.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, _ = c.coll.InsertOne(ctx, Change{ID: bson.NewObjectID(), At: c.now().UTC(), Kind: kind, Name: name, Prefix: prefix})
}

// ChangesSince returns the changes recorded at or after since, oldest first
// (by time, then id), at most limit of them. With after set, it continues a
// previous page: only changes after (after.At, after.ID) are returned, so a
// reader pages through any number of changes recorded in the same instant.
func (s *Store) ChangesSince(ctx context.Context, since time.Time, after *Change, limit int) ([]Change, error) {
	filter := bson.M{"at": bson.M{"$gte": since.UTC()}}
	if after != nil {
		filter = bson.M{"$or": bson.A{
			bson.M{"at": bson.M{"$gt": after.At}},
			bson.M{"at": after.At, "_id": bson.M{"$gt": after.ID}},
		}}
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit))
	cur, err := s.db.Collection(ChangesCollection).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	var out []Change
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return out, nil
}

// PruneChanges deletes changes older than before.
func (s *Store) PruneChanges(ctx context.Context, before time.Time) error {
	if _, err := s.db.Collection(ChangesCollection).DeleteMany(ctx, bson.M{"at": bson.M{"$lt": before.UTC()}}); err != nil {
		return fmt.Errorf("prune changes: %w", err)
	}
	return nil
}

var _ notify.ChangeLog = (*Store)(nil)

// Changes implements notify.ChangeLog over ChangesSince.
func (s *Store) Changes(ctx context.Context, since time.Time, after *notify.Change, limit int) ([]notify.Change, error) {
	var from *Change
	if after != nil {
		id, err := bson.ObjectIDFromHex(after.ID)
		if err != nil {
			return nil, fmt.Errorf("read changes after %q: %w", after.ID, err)
		}
		from = &Change{ID: id, At: after.At.UTC()}
	}
	cs, err := s.ChangesSince(ctx, since, from, limit)
	if err != nil {
		return nil, err
	}
	out := make([]notify.Change, len(cs))
	for i, c := range cs {
		out[i] = notify.Change{ID: c.ID.Hex(), At: c.At, Kind: c.Kind, Name: c.Name, Prefix: c.Prefix}
	}
	return out, nil
}

// Resource implements notify.ChangeLog: one resource read by its _id,
// which FerretDB answers without reading the rest of the collection.
func (s *Store) Resource(ctx context.Context, source, name string) (any, time.Time, error) {
	switch source {
	case "producers":
		return resourceByName(ctx, s.producers, name)
	case "buyers":
		return resourceByName(ctx, s.buyers, name)
	case "buying_requests":
		return resourceByName(ctx, s.requests, name)
	case "matches":
		return resourceByName(ctx, s.matches, name)
	}
	return nil, time.Time{}, fmt.Errorf("no notification source %q", source)
}

// resourceByName reads one resource as updatedSince passes it.
func resourceByName[M message, D any](ctx context.Context, r *resource[M, D], name string) (any, time.Time, error) {
	d, err := r.getDoc(ctx, name)
	if err != nil {
		return nil, time.Time{}, err
	}
	return r.read(d), *r.meta(d).updateTime, nil
}
