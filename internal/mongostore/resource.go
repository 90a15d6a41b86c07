package mongostore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"google.golang.org/protobuf/proto"

	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// message is what every stored resource message offers.
type message interface {
	proto.Message
	GetName() string
	GetEtag() string
}

// meta points into the bookkeeping fields every document has.
type meta struct {
	id         *string
	version    *int64
	requestID  *string
	createTime *time.Time
	updateTime *time.Time
	// applied holds the idempotency keys of the updates applied to the
	// resource (see updateOnce); nil for resources without.
	applied *[]string
}

// maxApplied bounds the keys a resource remembers; retries come within
// minutes, and a match is answered a handful of times.
const maxApplied = 64

// resource implements the standard methods once for every collection; the
// typed methods of Store are thin wrappers around it.
type resource[M message, D any] struct {
	coll    *mongo.Collection
	noun    string // "producer", for messages
	toDoc   func(M) (*D, error)
	fromDoc func(*D) M
	meta    func(*D) meta
	// fields maps filter paths to BSON keys.
	fields map[string]string
	// condition overrides the translation of a filter condition (e.g. the
	// derived EXPIRED state of buying requests); nil or ok=false means default.
	condition func(c query.Condition, now time.Time) (bson.M, bool)
	// fromDocAt post-processes a read message with the current time (derived
	// state); nil means none.
	fromDocAt func(M, time.Time)
	// uniqueIndexes maps the names of unique secondary indexes to the
	// user-facing field each protects, to explain a duplicate-key error.
	uniqueIndexes map[string]string
	claims        *claims
	changes       *changeLog
	now           func() time.Time
}

func (r *resource[M, D]) read(d *D) M {
	m := r.fromDoc(d)
	if r.fromDocAt != nil {
		r.fromDocAt(m, r.now())
	}
	return m
}

// create inserts m, which must have its name set. With a request id, a retry
// of the same create returns the stored resource instead of failing.
func (r *resource[M, D]) create(ctx context.Context, m M, requestID string) (M, error) {
	var zero M
	d, err := r.toDoc(m)
	if err != nil {
		return zero, fmt.Errorf("encode %s: %w", r.noun, err)
	}
	now := r.now().UTC().Truncate(time.Millisecond)
	mt := r.meta(d)
	*mt.version, *mt.requestID, *mt.createTime, *mt.updateTime = 1, requestID, now, now
	_, err = r.coll.InsertOne(ctx, d)
	if err == nil {
		r.changes.record(ctx, r.noun, *mt.id, false)
		return r.read(d), nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return zero, fmt.Errorf("insert %s: %w", r.noun, err)
	}
	existing, gerr := r.getDoc(ctx, *mt.id)
	switch {
	case gerr == nil:
		if requestID != "" && *r.meta(existing).requestID == requestID {
			return r.read(existing), nil
		}
		return zero, fmt.Errorf("%w: %s %q already exists", store.ErrAlreadyExists, r.noun, *mt.id)
	case errors.Is(gerr, store.ErrNotFound):
		return zero, r.duplicate(err)
	default:
		return zero, gerr
	}
}

// duplicate explains a duplicate-key error on a secondary unique index.
func (r *resource[M, D]) duplicate(err error) error {
	for index, field := range r.uniqueIndexes {
		if strings.Contains(err.Error(), index) {
			return fmt.Errorf("%w: another %s already has this %s", store.ErrAlreadyExists, r.noun, field)
		}
	}
	return fmt.Errorf("%w: a unique field of this %s is already taken", store.ErrAlreadyExists, r.noun)
}

func (r *resource[M, D]) getDoc(ctx context.Context, name string) (*D, error) {
	d := new(D)
	err := r.coll.FindOne(ctx, bson.M{"_id": name}).Decode(d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("%w: %s %q", store.ErrNotFound, r.noun, name)
	}
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", r.noun, err)
	}
	return d, nil
}

func (r *resource[M, D]) get(ctx context.Context, name string) (M, error) {
	d, err := r.getDoc(ctx, name)
	if err != nil {
		var zero M
		return zero, err
	}
	return r.read(d), nil
}

// list returns one page and whether more items follow.
func (r *resource[M, D]) list(ctx context.Context, o store.ListOptions) ([]M, bool, error) {
	filter, err := r.filter(o)
	if err != nil {
		return nil, false, err
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(o.PageSize) + 1)
	cur, err := r.coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, false, fmt.Errorf("list %ss: %w", r.noun, err)
	}
	var docs []*D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, false, fmt.Errorf("list %ss: %w", r.noun, err)
	}
	more := len(docs) > o.PageSize
	if more {
		docs = docs[:o.PageSize]
	}
	out := make([]M, len(docs))
	for i, d := range docs {
		out[i] = r.read(d)
	}
	return out, more, nil
}

// all streams every document of the collection to fn, in no particular
// order: sorting would make FerretDB, which sorts in Go, read and sort the
// whole collection before returning the first batch.
func (r *resource[M, D]) all(ctx context.Context, fn func(M) error) error {
	cur, err := r.coll.Find(ctx, bson.M{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("scan %ss: %w", r.noun, err)
	}
	defer func() { _ = cur.Close(ctx) }() // the results are read; the server frees the cursor anyway
	for cur.Next(ctx) {
		d := new(D)
		if err := cur.Decode(d); err != nil {
			return fmt.Errorf("decode %s: %w", r.noun, err)
		}
		if err := fn(r.read(d)); err != nil {
			return err
		}
	}
	return cur.Err()
}

func (r *resource[M, D]) filter(o store.ListOptions) (bson.M, error) {
	var and []bson.M
	if o.Parent != "" {
		and = append(and, bson.M{"parent": o.Parent})
	}
	if o.After != "" {
		and = append(and, bson.M{"_id": bson.M{"$gt": o.After}})
	}
	now := r.now().UTC()
	var special func(query.Condition) (bson.M, bool, error)
	if r.condition != nil {
		special = func(c query.Condition) (bson.M, bool, error) {
			m, ok := r.condition(c, now)
			return m, ok, nil
		}
	}
	return conjunction(and, o.Conditions, r.fields, special)
}

// conjunction adds one BSON condition per filter comparison to and, and
// joins them with $and. special, when set, translates the comparisons that
// are not a plain field test (ok=false leaves one to the fields mapping).
func conjunction(and []bson.M, conds []query.Condition, fields map[string]string, special func(query.Condition) (bson.M, bool, error)) (bson.M, error) {
	for _, c := range conds {
		if special != nil {
			m, ok, err := special(c)
			if err != nil {
				return nil, err
			}
			if ok {
				and = append(and, m)
				continue
			}
		}
		key, ok := fields[c.Field]
		if !ok {
			// The API checks fields against its schema; reaching this is a bug.
			return nil, fmt.Errorf("filter field %q has no storage mapping", c.Field)
		}
		and = append(and, conditionBSON(key, c))
	}
	switch len(and) {
	case 0:
		return bson.M{}, nil
	case 1:
		return and[0], nil
	}
	// One flat document when no key repeats: the same query, but FerretDB
	// with PostgreSQL pushes down only top-level equalities (it skips an
	// $and whole), so {parent: p, ...} reaches SQL as a WHERE clause
	// instead of reading the whole collection.
	flat := bson.M{}
	for _, m := range and {
		for k, v := range m {
			if _, dup := flat[k]; dup {
				return bson.M{"$and": and}, nil
			}
			flat[k] = v
		}
	}
	return flat, nil
}

func conditionBSON(key string, c query.Condition) bson.M {
	if c.Prefix {
		return bson.M{key: bson.M{"$regex": "^" + regexp.QuoteMeta(c.Value.(string))}}
	}
	switch c.Op {
	case query.Eq, query.Has:
		return bson.M{key: c.Value}
	case query.Ne:
		return bson.M{key: bson.M{"$ne": c.Value}}
	case query.Lt:
		return bson.M{key: bson.M{"$lt": c.Value}}
	case query.Le:
		return bson.M{key: bson.M{"$lte": c.Value}}
	case query.Gt:
		return bson.M{key: bson.M{"$gt": c.Value}}
	default: // query.Ge
		return bson.M{key: bson.M{"$gte": c.Value}}
	}
}

// Backoff of an update without etag that lost a race: jittered, doubling
// from updateBackoffMin up to updateBackoffMax, for as long as the request's
// deadline leaves room (at most maxRetries tries without a deadline).
const (
	updateBackoffMin = 5 * time.Millisecond
	updateBackoffMax = 250 * time.Millisecond
	maxRetries       = 40
	// updateMargin is kept free before the deadline for the answer.
	updateMargin = 100 * time.Millisecond
)

// update reads the resource, applies mutate and writes the result back only
// if nobody wrote in between (the version is part of the write's filter).
//
// With an etag the caller's view must be current: a stale etag is a
// conflict (ABORTED). Without one the caller asked for its fields to be
// written whatever else changes, so a lost race is retried on fresh data
// (mutate re-applies only the caller's changes). Either way a write of
// another request in flight is waited for, with jittered backoff within the
// deadline; only if the deadline leaves no room is the answer ErrBusy
// ("being updated, retry"), never a conflict the caller could do nothing
// about.
func (r *resource[M, D]) update(ctx context.Context, name, etag string, mutate func(M) error) (M, error) {
	return r.updateOnce(ctx, name, etag, "", mutate)
}

// updateOnce is update for a request with an idempotency key (key != ""):
// a key already applied to the resource returns the stored resource (the
// state after the first call) without writing; otherwise the key is
// recorded in the same conditional write as the change, so that the two
// can never be separated by a crash.
func (r *resource[M, D]) updateOnce(ctx context.Context, name, etag, key string, mutate func(M) error) (M, error) {
	var zero M
	busy := func() error {
		return fmt.Errorf("%w: %s %q is being updated by other requests; retry", store.ErrBusy, r.noun, name)
	}
	// waited is whether the deadline ran out while this request waited for
	// another writer: then the answer is "busy, retry", not a lost
	// database, even if the read that ran into the deadline was ours.
	waited := func(attempt int, err error) error {
		if attempt > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return busy()
		}
		return err
	}
	backoff := updateBackoffMin
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if !r.wait(ctx, backoff, attempt) {
				return zero, busy()
			}
			backoff = min(2*backoff, updateBackoffMax)
		}
		d, err := r.getDoc(ctx, name)
		if err != nil {
			return zero, waited(attempt, err)
		}
		m := r.read(d)
		if key != "" && r.meta(d).applied != nil && slices.Contains(*r.meta(d).applied, key) {
			return m, nil
		}
		if etag != "" && etag != m.GetEtag() {
			return zero, fmt.Errorf("%w: etag %q is not the current etag of %s %q; read it again and retry", store.ErrConflict, etag, r.noun, name)
		}
		if err := mutate(m); err != nil {
			return zero, err
		}
		if m.GetName() != name {
			return zero, fmt.Errorf("update of %s %q tried to rename it", r.noun, name)
		}
		nd, err := r.toDoc(m)
		if err != nil {
			return zero, fmt.Errorf("encode %s: %w", r.noun, err)
		}
		old, nm := r.meta(d), r.meta(nd)
		*nm.version = *old.version + 1
		*nm.requestID = *old.requestID
		*nm.createTime = *old.createTime
		*nm.updateTime = r.now().UTC().Truncate(time.Millisecond)
		if old.applied != nil {
			keys := slices.Clone(*old.applied)
			if key != "" {
				keys = append(keys, key)
			}
			*nm.applied = keys[max(0, len(keys)-maxApplied):]
		}
		held, err := r.claims.claim(ctx, name, *nm.version)
		if err != nil {
			return zero, waited(attempt, err)
		}
		if held == nil {
			// Another writer holds the next version: wait for it to
			// finish (then an etag caller sees its etag is stale) or for
			// its lease to run out (it died; then the claim is taken
			// over).
			continue
		}
		res, err := r.coll.ReplaceOne(ctx, bson.M{"_id": name, "version": *old.version}, nd)
		held.stop()
		r.claims.release(ctx, name, *old.version)
		if err != nil {
			r.claims.release(ctx, name, *nm.version)
			if mongo.IsDuplicateKeyError(err) {
				return zero, r.duplicate(err)
			}
			return zero, fmt.Errorf("replace %s: %w", r.noun, err)
		}
		if res.MatchedCount == 1 {
			r.changes.record(ctx, r.noun, name, false)
			return r.read(nd), nil
		}
		r.claims.release(ctx, name, *nm.version)
		if etag != "" {
			return zero, fmt.Errorf("%w: %s %q was changed by another request; read it again and retry", store.ErrConflict, r.noun, name)
		}
	}
}

// wait sleeps a jittered backoff before retry attempt, and reports false
// when the deadline (or maxRetries without one) leaves no room for it.
func (r *resource[M, D]) wait(ctx context.Context, backoff time.Duration, attempt int) bool {
	d := backoff/2 + rand.N(backoff/2+1)
	if dl, ok := ctx.Deadline(); ok {
		if time.Until(dl) < d+updateMargin {
			return false
		}
	} else if attempt >= maxRetries {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// delete removes the resource; with an etag only if it is still current.
// Like an update it first claims the next version, so that on FerretDB,
// where a version-filtered delete is no more atomic than a replace, a delete
// and an update racing on the same version cannot both succeed.
func (r *resource[M, D]) delete(ctx context.Context, name, etag string) error {
	d, err := r.getDoc(ctx, name)
	if err != nil {
		return err
	}
	version := *r.meta(d).version
	if etag != "" && etag != formatEtag(version) {
		return fmt.Errorf("%w: etag %q is not the current etag of %s %q; read it again and retry", store.ErrConflict, etag, r.noun, name)
	}
	held, err := r.claims.claim(ctx, name, version+1)
	if err != nil {
		return err
	}
	if held == nil {
		return fmt.Errorf("%w: %s %q is being updated by another request; retry", store.ErrBusy, r.noun, name)
	}
	res, err := r.coll.DeleteOne(ctx, bson.M{"_id": name, "version": version})
	held.stop()
	if err != nil {
		r.claims.release(ctx, name, version+1)
		return fmt.Errorf("delete %s: %w", r.noun, err)
	}
	if res.DeletedCount == 1 {
		r.claims.forget(ctx, name+"#")
		r.changes.record(ctx, r.noun, name, false)
		return nil
	}
	r.claims.release(ctx, name, version+1)
	if _, err := r.getDoc(ctx, name); err != nil {
		return err
	}
	return fmt.Errorf("%w: %s %q was changed by another request; read it again and retry", store.ErrConflict, r.noun, name)
}

func (r *resource[M, D]) countChildren(ctx context.Context, parent string) (int64, error) {
	n, err := r.coll.CountDocuments(ctx, bson.M{"parent": parent})
	if err != nil {
		return 0, fmt.Errorf("count %ss: %w", r.noun, err)
	}
	return n, nil
}

func (r *resource[M, D]) deleteChildren(ctx context.Context, parent string) error {
	if _, err := r.coll.DeleteMany(ctx, bson.M{"parent": parent}); err != nil {
		return fmt.Errorf("delete %ss of %s: %w", r.noun, parent, err)
	}
	r.claims.forget(ctx, parent+"/")
	r.changes.record(ctx, r.noun, parent+"/", true)
	return nil
}
