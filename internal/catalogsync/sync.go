// Package catalogsync keeps the in-memory search catalogue of one replica
// current with the database.
//
// At start it loads every producer and listing. Writes made through this
// process update the catalogue directly (see Store), so they are visible to
// the next search at once. Writes made by other replicas reach it through
// the change log that every write appends to: Run polls it, re-reads each
// changed resource and puts or deletes it. FerretDB has no change streams, so
// polling a collection is what works on both FerretDB and MongoDB.
package catalogsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Source is what the syncer reads.
type Source interface {
	AllProducers(ctx context.Context, fn func(*pb.Producer) error) error
	AllListings(ctx context.Context, fn func(*pb.Listing) error) error
	GetProducer(ctx context.Context, name string) (*pb.Producer, error)
	GetListing(ctx context.Context, name string) (*pb.Listing, error)
	ExchangeRates(ctx context.Context, def *pb.ExchangeRates) (*pb.ExchangeRates, error)
	ChangesSince(ctx context.Context, since time.Time, after *mongostore.Change, limit int) ([]mongostore.Change, error)
	PruneChanges(ctx context.Context, before time.Time) error
}

// Options tune the syncer; zero values take the defaults.
type Options struct {
	// PollInterval between reads of the change log; default 500ms, so that
	// another replica's write shows within a second.
	PollInterval time.Duration
	// Overlap re-reads changes this far behind the newest seen, to cover
	// writes whose entry landed late and clock differences between replicas;
	// default 5s.
	Overlap time.Duration
	// Retention keeps change-log entries this long; default
	// DefaultRetention.
	Retention time.Duration
	// FullReload reloads everything this often as a safety net for a change
	// entry lost in a crash; default 15 minutes.
	FullReload time.Duration
	// Snapshot, with a path, starts the catalogue from a local file and
	// keeps that file current (see snapshot.go).
	Snapshot SnapshotOptions
}

// DefaultRetention is how long the change log keeps entries by default.
// The notifier trusts the log only from a position younger than this (see
// notify.Options.ChangeRetention).
const DefaultRetention = 10 * time.Minute

// Syncer fills and refreshes an Index.
type Syncer struct {
	src    Source
	idx    Sink
	log    *slog.Logger
	opts   Options
	now    func() time.Time
	ready  atomic.Bool
	since  time.Time
	seen   map[string]time.Time // change id -> at, within the overlap window
	loaded time.Time
	// synced is when the catalogue last caught up with the change log
	// (Unix nanoseconds), for the sync-lag metric.
	synced atomic.Int64

	// Snapshot state (snapshot.go), used by Run's goroutine only, except
	// the atomics shared with the writing goroutine.
	fromSnapshot  bool
	dbID          string // the database's id (snapshot.go), once Start read it
	dbIDKnown     bool
	startReason   string
	snapAfterLoad bool      // a full load happened since the last snapshot
	snapChanges   int       // changes applied since the last snapshot
	snapWritten   time.Time // when the last snapshot was started
	snapFile      bool      // the last snapshot was written, so it can be restamped
	snapBusy      atomic.Bool
	snapFailed    atomic.Bool
	snapWG        sync.WaitGroup
}

// New returns a syncer that feeds idx (a search index, or a Tee of read
// models).
func New(src Source, idx Sink, log *slog.Logger, opts Options) *Syncer {
	if opts.PollInterval <= 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.Overlap <= 0 {
		opts.Overlap = 5 * time.Second
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.FullReload <= 0 {
		opts.FullReload = 15 * time.Minute
	}
	if opts.Snapshot.Interval <= 0 {
		opts.Snapshot.Interval = 2 * time.Minute
	}
	return &Syncer{src: src, idx: idx, log: log, opts: opts, now: time.Now, seen: map[string]time.Time{}}
}

// Ready reports whether the first load has finished (a full load, or a
// snapshot and the catch-up from the change log); /readyz waits for it.
func (s *Syncer) Ready() bool { return s.ready.Load() }

// Load reads every producer and listing into the index. Changes recorded
// from just before the load started are replayed by the next poll, so a
// write racing with the load is not lost.
func (s *Syncer) Load(ctx context.Context) error {
	start := s.now()
	rates, err := s.src.ExchangeRates(ctx, fx.DefaultRates())
	if err != nil {
		return err
	}
	s.idx.SetExchangeRates(rates)
	seenP, seenL := map[string]bool{}, map[string]bool{}
	if err := s.src.AllProducers(ctx, func(p *pb.Producer) error { s.idx.PutProducer(p); seenP[p.GetName()] = true; return nil }); err != nil {
		return fmt.Errorf("load producers: %w", err)
	}
	if err := s.src.AllListings(ctx, func(l *pb.Listing) error { s.idx.PutListing(l); seenL[l.GetName()] = true; return nil }); err != nil {
		return fmt.Errorf("load listings: %w", err)
	}
	np, nl := len(seenP), len(seenL)
	if !s.loaded.IsZero() {
		if err := s.sweep(ctx, start, seenP, seenL); err != nil {
			return err
		}
	}
	if s.since.IsZero() {
		s.since = start.Add(-s.opts.Overlap)
	}
	s.loaded = start
	s.snapAfterLoad = true
	s.ready.Store(true)
	s.synced.Store(start.UnixNano())
	s.log.Info("catalogue loaded", "producers", np, "listings", nl, "took", s.now().Sub(start).Round(time.Millisecond))
	return nil
}

// sweep removes, after a full reload, what the database no longer holds: a
// delete whose change entry was lost. Anything written since the reload
// began is kept, since the scan may have passed it before it was written.
func (s *Syncer) sweep(ctx context.Context, start time.Time, seenP, seenL map[string]bool) error {
	var after *mongostore.Change
	for {
		changes, err := s.src.ChangesSince(ctx, start.Add(-s.opts.Overlap), after, pollBatch)
		if err != nil {
			return err
		}
		for i, c := range changes {
			after = &changes[i]
			seenP[c.Name], seenL[c.Name] = true, true
		}
		if len(changes) < pollBatch {
			break
		}
	}
	producers, listings := s.idx.Names()
	for _, n := range listings {
		if !seenL[n] {
			s.idx.DeleteListing(n)
		}
	}
	for _, n := range producers {
		if !seenP[n] {
			s.idx.DeleteProducer(n)
		}
	}
	return nil
}

// Run polls the change log until ctx ends, and writes the snapshot (when
// one is configured) after full loads, periodically and as it returns.
func (s *Syncer) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	defer s.finalSnapshot(ctx)
	lastPrune := s.now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.Poll(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("catalogue sync", "error", err)
		}
		if s.now().Sub(lastPrune) > time.Minute {
			lastPrune = s.now()
			if err := s.src.PruneChanges(ctx, s.now().Add(-s.opts.Retention)); err != nil && ctx.Err() == nil {
				s.log.Warn("prune change log", "error", err)
			}
			// The idempotency markers of match answers age out with the
			// same housekeeping, a week after their request.
			if p, ok := s.src.(interface {
				PruneAppliedRequests(context.Context, time.Time) error
			}); ok {
				if err := p.PruneAppliedRequests(ctx, s.now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
					s.log.Warn("prune applied requests", "error", err)
				}
			}
		}
		if s.now().Sub(s.loaded) > s.opts.FullReload {
			if err := s.Load(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("catalogue reload", "error", err)
			}
		}
		if due, full := s.snapshotDue(); due {
			s.startSnapshot(ctx, full)
		}
	}
}

// pollBatch bounds one read of the change log.
const pollBatch = 1000

// Poll applies the changes recorded since the last poll. Each poll starts
// an overlap window behind the newest change seen (entries can land late,
// and writers' clocks differ) and pages forward by (time, id), so any number
// of changes in the same instant is read exactly once.
func (s *Syncer) Poll(ctx context.Context) error {
	polled := s.now()
	newest := s.since
	var after *mongostore.Change
	for {
		changes, err := s.src.ChangesSince(ctx, s.since, after, pollBatch)
		if err != nil {
			return err
		}
		for i, c := range changes {
			after = &changes[i]
			if c.At.After(newest) {
				newest = c.At
			}
			id := c.ID.Hex()
			if _, done := s.seen[id]; done {
				continue
			}
			if err := s.apply(ctx, c); err != nil {
				return err
			}
			s.seen[id] = c.At
			s.snapChanges++
		}
		if len(changes) < pollBatch {
			break
		}
	}
	// The next poll starts an overlap behind the newest change seen, or
	// behind this poll when it saw nothing newer: every entry recorded
	// before then has landed (that is what the overlap allows for), so a
	// quiet catalogue's position still moves, and a snapshot taken at it
	// stays usable for a restart (see startSnapshot).
	if polled.After(newest) {
		newest = polled
	}
	if from := newest.Add(-s.opts.Overlap); from.After(s.since) {
		s.since = from
	}
	for id, at := range s.seen {
		if at.Before(s.since) {
			delete(s.seen, id)
		}
	}
	s.synced.Store(polled.UnixNano())
	return nil
}

// SyncedAt is when the catalogue last held every change recorded before
// it: the start of the last successful poll or load. Zero before the
// first load.
func (s *Syncer) SyncedAt() time.Time {
	if n := s.synced.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

func (s *Syncer) apply(ctx context.Context, c mongostore.Change) error {
	switch c.Kind {
	case "producer":
		p, err := s.src.GetProducer(ctx, c.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.idx.DeleteProducer(c.Name)
		case err != nil:
			return err
		default:
			s.idx.PutProducer(p)
		}
	case "listing":
		if c.Prefix {
			// All listings of a producer were deleted (DeleteProducer with
			// force). Dropping the producer drops its listings; put it back
			// if it still exists, since its own deletion may have failed.
			producer := strings.TrimSuffix(c.Name, "/")
			s.idx.DeleteProducer(producer)
			p, err := s.src.GetProducer(ctx, producer)
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				return err
			default:
				s.idx.PutProducer(p)
			}
			return nil
		}
		l, err := s.src.GetListing(ctx, c.Name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.idx.DeleteListing(c.Name)
		case err != nil:
			return err
		default:
			s.idx.PutListing(l)
		}
	case "exchange rates":
		r, err := s.src.ExchangeRates(ctx, fx.DefaultRates())
		if err != nil {
			return err
		}
		s.idx.SetExchangeRates(r)
	default:
		// Buyers, requests and requirements are not in the search catalogue.
	}
	return nil
}
