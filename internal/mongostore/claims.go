package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ClaimsCollection holds one small document per version transition in flight.
const ClaimsCollection = "write_claims"

// claimLease is how long a claim stays valid without being renewed. Its
// holder renews it every claimLease/3 while its write runs, so a live
// writer never loses it, and a writer that died (the process was killed
// between claiming and writing) blocks the resource for at most this long.
// Replicas' clocks must agree to well within it.
const claimLease = 4 * time.Second

// legacyClaimTimeout is how old a claim without a lease (written by an
// older version) must be before it is taken over.
const legacyClaimTimeout = time.Minute

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
//
// A claim names its holder (this process and the attempt) and carries a
// lease; see claimLease.
type claims struct {
	coll     *mongo.Collection
	now      func() time.Time
	instance string // this process, in holder ids
	seq      atomic.Uint64
}

type claimDoc struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Until  time.Time `bson:"until,omitempty"`
	Holder string    `bson:"holder,omitempty"`
}

func newClaims(coll *mongo.Collection, now func() time.Time) *claims {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &claims{coll: coll, now: now, instance: hex.EncodeToString(b)}
}

func claimID(name string, version int64) string { return fmt.Sprintf("%s#%d", name, version) }

// heldClaim is a claim this writer won; stop ends its renewal.
type heldClaim struct {
	stop func()
}

// expired reports whether a claim's holder is presumed dead.
func (c *claims) expired(d claimDoc) bool {
	now := c.now()
	if d.Until.IsZero() {
		return now.Sub(d.At) >= legacyClaimTimeout
	}
	return now.After(d.Until)
}

// claim tries to win the right to write version. It returns nil (and no
// error) when a live writer holds it.
func (c *claims) claim(ctx context.Context, name string, version int64) (*heldClaim, error) {
	id := claimID(name, version)
	holder := fmt.Sprintf("%s-%d", c.instance, c.seq.Add(1))
	for attempt := 0; attempt < 2; attempt++ {
		now := c.now().UTC()
		_, err := c.coll.InsertOne(ctx, claimDoc{ID: id, At: now, Until: now.Add(claimLease), Holder: holder})
		if err == nil {
			return c.renew(ctx, id, holder), nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("claim %s: %w", id, err)
		}
		// Someone holds the claim. If its lease ran out, its writer died
		// between claiming and writing: take it over, conditional on the
		// lease seen so that only one taker wins and a renewal meanwhile
		// keeps it with its holder.
		var held claimDoc
		err = c.coll.FindOne(ctx, bson.M{"_id": id}).Decode(&held)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read claim %s: %w", id, err)
		}
		if !c.expired(held) {
			return nil, nil
		}
		filter := bson.M{"_id": id, "at": held.At}
		if !held.Until.IsZero() {
			filter["until"] = held.Until
		}
		res, err := c.coll.DeleteOne(ctx, filter)
		if err != nil {
			return nil, fmt.Errorf("expire claim %s: %w", id, err)
		}
		if res.DeletedCount == 0 {
			return nil, nil
		}
	}
	return nil, nil
}

// renew extends the lease of a won claim until stop is called.
func (c *claims) renew(ctx context.Context, id, holder string) *heldClaim {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(claimLease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				rctx, rcancel := context.WithTimeout(ctx, claimLease/3)
				_, _ = c.coll.UpdateOne(rctx, bson.M{"_id": id, "holder": holder},
					bson.M{"$set": bson.M{"until": c.now().UTC().Add(claimLease)}})
				rcancel()
			}
		}
	}()
	return &heldClaim{stop: func() { cancel(); <-done }}
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
