package catalogsync

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/snapshot"
)

// SnapshotOptions turn on starting from a local snapshot of the catalogue.
//
// A snapshot holds every producer and listing of the catalogue, stamped
// with the change-log position it is current to. At start the syncer
// loads it and replays the change log from that position (re-reading each
// changed resource, so deletes are replayed too); /readyz turns ready only
// after that catch-up. A snapshot that is missing, damaged, of another
// schema, from another database, or whose position is so old that the
// change log may have been pruned past it is ignored, and a full load runs.
type SnapshotOptions struct {
	// Path of the snapshot file; empty turns snapshots off. One replica
	// per file: replicas may share a database, never a snapshot.
	Path string
	// Interval between periodic snapshots; default 2 minutes. A full one
	// is written when the catalogue changed since the last, otherwise the
	// last one's header is restamped with the new position (cheap), so
	// that after a crash the file is at most this old. It must stay below
	// MaxSnapshotInterval of the change log's retention, or a snapshot
	// left by a crash is too old to catch up from (config checks it).
	Interval time.Duration
	// From is what is written: the catalogue with every listing in every
	// state and every producer (catalog.Index).
	From interface {
		ListingLister
		ProducerLister
	}
}

// snapshotLogic is bumped by hand whenever the meaning of stored records
// changes without the Listing or Producer messages changing (a different
// mapping from the database's documents, say). Changes of the messages
// themselves are caught by snapshotSchema.
const snapshotLogic = 1

// snapshotSchema identifies what records mean: the descriptors of the
// Listing and Producer messages' files and everything they import, with
// snapshotLogic. Any change of either makes older snapshots foreign.
var snapshotSchema = sync.OnceValue(func() uint64 {
	h := sha256.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], snapshotLogic)
	h.Write(n[:])
	seen := map[string]bool{}
	var walk func(fd protoreflect.FileDescriptor)
	walk = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(protodesc.ToFileDescriptorProto(fd))
		if err != nil {
			panic(err) // a compiled-in descriptor always marshals
		}
		h.Write(b)
		for i := range fd.Imports().Len() {
			walk(fd.Imports().Get(i).FileDescriptor)
		}
	}
	walk((&pb.Listing{}).ProtoReflect().Descriptor().ParentFile())
	walk((&pb.Producer{}).ProtoReflect().Descriptor().ParentFile())
	return binary.LittleEndian.Uint64(h.Sum(nil))
})

// RetentionMargin is how much younger than the change log's retention a
// snapshot's position must be: room for the time the load and catch-up
// take (the overlap re-read included) and for clocks of replicas that
// prune the log running ahead.
const RetentionMargin = 2 * time.Minute

// MaxSnapshotInterval is the bound a snapshot interval must stay below
// with a change log kept for retention: a snapshot a crash leaves is up
// to an interval old, and Start refuses one older than retention minus
// RetentionMargin.
func MaxSnapshotInterval(retention time.Duration) time.Duration {
	return retention - RetentionMargin
}

// databaseIDer is the part of the source that names the database
// (mongostore.Store.DatabaseID). Sources without it write and accept
// snapshots with no database id.
type databaseIDer interface {
	DatabaseID(ctx context.Context) (string, error)
}

// databaseID returns the id Start read, or reads it: a snapshot written
// as the process stops must not depend on the database still answering.
func (s *Syncer) databaseID(ctx context.Context) (string, error) {
	if s.dbIDKnown {
		return s.dbID, nil
	}
	if d, ok := s.src.(databaseIDer); ok {
		return d.DatabaseID(ctx)
	}
	return "", nil
}

// Start fills the index for the first time: from the snapshot when one is
// configured and usable, else by a full load. Ready reports true once the
// catalogue has caught up with the change log. StartedFrom tells which.
func (s *Syncer) Start(ctx context.Context) error {
	if s.opts.Snapshot.Path != "" {
		id, err := s.databaseID(ctx)
		if err != nil {
			return err
		}
		s.dbID, s.dbIDKnown = id, true
		err = s.loadSnapshot(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.startReason = err.Error()
		s.log.Info("catalogue snapshot not used; loading the whole catalogue", "path", s.opts.Snapshot.Path, "reason", err)
	}
	return s.Load(ctx)
}

// StartedFrom reports how the first fill went: "snapshot", or "full load"
// with the reason the snapshot was not used ("" when none is configured).
func (s *Syncer) StartedFrom() (how, reason string) {
	if s.fromSnapshot {
		return "snapshot", ""
	}
	return "full load", s.startReason
}

// errUnusable marks a snapshot that is intact but may not be used.
var errUnusable = errors.New("snapshot unusable")

func (s *Syncer) loadSnapshot(ctx context.Context) error {
	start := s.now()
	snap, err := snapshot.Read(s.opts.Snapshot.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("no snapshot yet")
	}
	if err != nil {
		return err
	}
	if snap.Schema != snapshotSchema() {
		return fmt.Errorf("%w: written by a program with other Listing or Producer messages (schema %x, this one %x)", errUnusable, snap.Schema, snapshotSchema())
	}
	db, err := s.databaseID(ctx)
	if err != nil {
		return err
	}
	if snap.Database != db {
		return fmt.Errorf("%w: taken from another database (%q, this one is %q)", errUnusable, snap.Database, db)
	}
	switch age := start.Sub(snap.Position); {
	case age > MaxSnapshotInterval(s.opts.Retention):
		return fmt.Errorf("%w: its position is %s old; the change log keeps %s, so changes since may be gone", errUnusable, age.Round(time.Second), s.opts.Retention)
	case age < -RetentionMargin:
		// Stamped ahead of this clock (a clock step, or a file from a
		// host running ahead): catching up from there would skip the
		// changes in between.
		return fmt.Errorf("%w: its position is %s in the future", errUnusable, (-age).Round(time.Second))
	}
	rates, err := s.src.ExchangeRates(ctx, fx.DefaultRates())
	if err != nil {
		return err
	}
	if err := s.putSnapshot(ctx, snap); err != nil {
		s.clear()
		return err
	}
	s.idx.SetExchangeRates(rates)
	// Catch up: everything recorded since the snapshot's position is
	// re-read from the database, deletes included.
	s.since = snap.Position
	clear(s.seen)
	if err := s.Poll(ctx); err != nil {
		s.clear()
		s.since = time.Time{}
		clear(s.seen)
		return fmt.Errorf("catch up from the change log: %w", err)
	}
	caughtUp := s.snapChanges
	s.loaded = start
	s.fromSnapshot = true
	s.snapWritten = start
	s.snapFile = true
	s.ready.Store(true)
	s.log.Info("catalogue loaded from snapshot", "producers", snap.Producers, "listings", snap.Listings,
		"snapshot_age", start.Sub(snap.Position).Round(time.Second), "changes_replayed", caughtUp,
		"took", s.now().Sub(start).Round(time.Millisecond))
	return nil
}

// putSnapshot decodes the records on one goroutine and puts them into the
// index on this one, so that both cores work. Producers come first in the
// file, so every listing finds its producer.
func (s *Syncer) putSnapshot(ctx context.Context, snap *snapshot.Snapshot) error {
	type batch struct {
		producers []*pb.Producer
		listings  []*pb.Listing
	}
	const batchSize = 512
	ch := make(chan batch, 8)
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var decodeErr error
	go func() {
		defer close(ch)
		var b batch
		n := 0
		send := func() bool {
			select {
			case ch <- b:
			case <-dctx.Done():
				return false
			}
			b, n = batch{}, 0
			return true
		}
		decodeErr = snap.Records(func(kind byte, data []byte) error {
			switch kind {
			case snapshot.KindProducer:
				p := new(pb.Producer)
				if err := proto.Unmarshal(data, p); err != nil {
					return fmt.Errorf("decode producer: %w", err)
				}
				b.producers = append(b.producers, p)
			case snapshot.KindListing:
				l := new(pb.Listing)
				if err := proto.Unmarshal(data, l); err != nil {
					return fmt.Errorf("decode listing: %w", err)
				}
				b.listings = append(b.listings, l)
			}
			if n++; n == batchSize && !send() {
				return dctx.Err()
			}
			return nil
		})
		if decodeErr == nil && n > 0 && !send() {
			decodeErr = dctx.Err()
		}
	}()
	for b := range ch {
		for _, p := range b.producers {
			s.idx.PutProducer(p)
		}
		for _, l := range b.listings {
			s.idx.PutListing(l)
		}
		if err := ctx.Err(); err != nil {
			cancel()
			for range ch {
			}
			return err
		}
	}
	// ch is closed, so decodeErr is final.
	return decodeErr
}

// clear empties the index after a snapshot that could not be used: the
// full load that follows must not find anything the database lacks.
// Listings go first, so that dropping producers has nothing left to scan.
func (s *Syncer) clear() {
	producers, listings := s.idx.Names()
	for _, n := range listings {
		s.idx.DeleteListing(n)
	}
	for _, n := range producers {
		s.idx.DeleteProducer(n)
	}
}

// snapshotOn reports whether snapshots are written: configured, and the
// catalogue loaded.
func (s *Syncer) snapshotOn() bool {
	o := s.opts.Snapshot
	return o.Path != "" && o.From != nil && s.ready.Load()
}

// snapshotDue reports whether Run should write (or restamp) a snapshot now,
// and which: a full write after a full load, after changes, or when the
// last write failed; a restamp when the catalogue is as the file holds it.
func (s *Syncer) snapshotDue() (due, full bool) {
	if !s.snapshotOn() || s.snapBusy.Load() {
		return false, false
	}
	if s.snapFailed.Swap(false) {
		s.snapFile = false
	}
	full = s.snapAfterLoad || s.snapChanges > 0 || !s.snapFile
	return s.snapAfterLoad || s.now().Sub(s.snapWritten) >= s.opts.Snapshot.Interval, full
}

// startSnapshot writes a snapshot on its own goroutine (about a second at
// 100,000 listings), so that polling goes on meanwhile. The position is
// the poll cursor now: the catalogue holds every change before it, and
// anything that changes while the file is written is at or after it, so a
// replica starting from the file replays it.
func (s *Syncer) startSnapshot(ctx context.Context, full bool) {
	position := s.since
	s.snapBusy.Store(true)
	s.snapWritten = s.now()
	s.snapAfterLoad, s.snapChanges, s.snapFile = false, 0, true
	s.snapWG.Add(1)
	go func() {
		defer s.snapWG.Done()
		defer s.snapBusy.Store(false)
		if err := s.writeSnapshot(ctx, position, full); err != nil {
			s.snapFailed.Store(true)
			if ctx.Err() == nil {
				s.log.Warn("catalogue snapshot not written", "path", s.opts.Snapshot.Path, "error", err)
			}
		}
	}()
}

// finalSnapshot runs as Run returns: it waits for a write in progress and
// writes the last one (a restamp when nothing changed), so that a restart
// right after a shutdown finds a current file.
func (s *Syncer) finalSnapshot(ctx context.Context) {
	s.snapWG.Wait()
	if !s.snapshotOn() {
		return
	}
	_, full := s.snapshotDue()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	s.startSnapshot(wctx, full)
	s.snapWG.Wait()
}

// WriteSnapshot writes a full snapshot at the current poll position. Run
// writes them by itself; this is for tests and tools, and must not run
// concurrently with Run or Poll.
func (s *Syncer) WriteSnapshot(ctx context.Context) error {
	return s.writeSnapshot(ctx, s.since, true)
}

func (s *Syncer) writeSnapshot(ctx context.Context, position time.Time, full bool) error {
	path := s.opts.Snapshot.Path
	if !full {
		return snapshot.Restamp(path, position, s.now())
	}
	start := s.now()
	db, err := s.databaseID(ctx)
	if err != nil {
		return err
	}
	w, err := snapshot.Create(path)
	if err != nil {
		return err
	}
	defer w.Abort()
	h := snapshot.Header{Schema: snapshotSchema(), Database: db, Position: position}
	var buf []byte
	add := func(kind byte, m proto.Message) error {
		buf, err = proto.MarshalOptions{Deterministic: true}.MarshalAppend(buf[:0], m)
		if err != nil {
			return err
		}
		return w.Add(kind, buf)
	}
	const page = 1000
	for after := ""; ; {
		ps, more, err := s.opts.Snapshot.From.ListProducers(ctx, after, page, nil)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := add(snapshot.KindProducer, p); err != nil {
				return err
			}
		}
		h.Producers += uint32(len(ps))
		if !more || len(ps) == 0 {
			break
		}
		after = ps[len(ps)-1].GetName()
	}
	for after := ""; ; {
		ls, more, err := s.opts.Snapshot.From.ListListings(ctx, "", after, page, nil)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := add(snapshot.KindListing, l); err != nil {
				return err
			}
		}
		h.Listings += uint32(len(ls))
		if !more || len(ls) == 0 {
			break
		}
		after = ls[len(ls)-1].GetName()
	}
	h.Written = s.now()
	if err := w.Commit(h); err != nil {
		return err
	}
	s.log.Info("catalogue snapshot written", "path", path, "producers", h.Producers, "listings", h.Listings,
		"took", s.now().Sub(start).Round(time.Millisecond))
	return nil
}
