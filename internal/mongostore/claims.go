package mongostore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ClaimsCollection holds one small document per version transition in flight.
const ClaimsCollection = "write_claims"

// claimTimeout is how old a claim must be before another writer may assume
// its owner died between claiming and writing. It is longer than any request
// deadline.
const claimTimeout = time.Minute

// claims make "update if the version is still n" atomic on every backend.
//
// On MongoDB a replace filtered on {_id, version} is atomic by itself. On
// FerretDB 1.24 it is not: the filter is evaluated in Go and the write is
// keyed by _id alone, so concurrent writers that read the same version can
// all succeed and overwrite each other (our race test caught exactly that).
// An insert with a unique _id is atomic on both, so each writer first inserts
// the claim "name#n+1"; only the one whose insert succeeds may write version
// n+1. The claim of the previous version is deleted after the write, so at
// most one claim per resource stays behind.
type claims struct {
	coll *mongo.Collection
	now  func() time.Time
}

type claimDoc struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

func claimID(name string, version int64) string { return fmt.Sprintf("%s#%d", name, version) }

// claim reports whether this writer won the right to write version.
func (c *claims) claim(ctx context.Context, name string, version int64) (bool, error) {
	id := claimID(name, version)
	for attempt := 0; attempt < 2; attempt++ {
		_, err := c.coll.InsertOne(ctx, claimDoc{ID: id, At: c.now().UTC()})
		if err == nil {
			return true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return false, fmt.Errorf("claim %s: %w", id, err)
		}
		// Someone holds the claim. If it is old, its writer died between
		// claiming and writing: take it over, conditional on its timestamp
		// so that only one taker wins.
		var held claimDoc
		err = c.coll.FindOne(ctx, bson.M{"_id": id}).Decode(&held)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("read claim %s: %w", id, err)
		}
		if c.now().Sub(held.At) < claimTimeout {
			return false, nil
		}
		res, err := c.coll.DeleteOne(ctx, bson.M{"_id": id, "at": held.At})
		if err != nil {
			return false, fmt.Errorf("expire claim %s: %w", id, err)
		}
		if res.DeletedCount == 0 {
			return false, nil
		}
	}
	return false, nil
}

// release deletes the claim of an older version, which no writer can contend
// for any more. Failing to delete it only leaves a small document behind.
func (c *claims) release(ctx context.Context, name string, version int64) {
	// Not bound to the request: a caller that went away must not leave its
	// claim to block the resource.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, _ = c.coll.DeleteOne(ctx, bson.M{"_id": claimID(name, version)})
}

// forget deletes the claims whose ids start with prefix: those of a deleted
// resource ("name#") or of its deleted children ("name/"), so that a resource
// created again under the same name starts clean.
func (c *claims) forget(ctx context.Context, prefix string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, _ = c.coll.DeleteMany(ctx, bson.M{"_id": bson.M{"$regex": "^" + regexp.QuoteMeta(prefix)}})
}
