package catalogsync

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/snapshot"
	"github.com/adiekspor/temubisnis/internal/synth"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// replica is one process's catalogue: the search index and the matching
// candidates, fed by a syncer, with its snapshot file.
type replica struct {
	idx   *catalog.Index
	cands *Candidates
	sy    *Syncer
}

func newReplica(ms *mongostore.Store, path string) *replica {
	r := &replica{idx: catalog.New(catalog.DefaultVocabulary(), fx.DefaultRates()), cands: NewCandidates()}
	r.sy = New(ms, Tee{r.idx, r.cands}, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{
		Snapshot: SnapshotOptions{Path: path, From: r.idx},
	})
	return r
}

// run starts the replica's Run loop and returns its stop: Run writes its
// last snapshot before it returns, as a shutdown does.
func (r *replica) run(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.sy.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

func importSynth(t *testing.T, seed int64, producers, listings int) *mongostore.Store {
	t.Helper()
	ctx := context.Background()
	ms := mongostore.New(testdb.New(t))
	if err := ms.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	ds := synth.Generate(seed, producers, listings, time.Now())
	if err := ms.Import(ctx, ds.Producers, ds.Listings, nil, nil); err != nil {
		t.Fatal(err)
	}
	return ms
}

// sameCatalogue fails unless two replicas answer alike: searches (hits,
// etags, facets, totals), every listing in every state, every producer, and
// the matching candidates.
func sameCatalogue(t *testing.T, want, got *replica) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	for _, req := range []*pb.SearchListingsRequest{
		{PageSize: 100},
		{Query: "djembe", PageSize: 50},
		{Query: "kendang snapshot", PageSize: 50},
		{Query: "koi", ShipToCountryCode: "JP", PageSize: 50},
		{Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT}, VerifiedOnly: true, PageSize: 50},
		{Query: "sambal", CurrencyCode: "JPY", PageSize: 20},
	} {
		w, err := want.idx.Search(req, now)
		if err != nil {
			t.Fatal(err)
		}
		g, err := got.idx.Search(req, now)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, g, protocmp.Transform()); diff != "" {
			t.Errorf("search %v differs (-full load +snapshot):\n%s", req, diff)
		}
	}
	wl, _, err := want.idx.ListListings(ctx, "", "", 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	gl, _, err := got.idx.ListListings(ctx, "", "", 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wl, gl, protocmp.Transform()); diff != "" {
		t.Errorf("listings differ (-full load +snapshot):\n%s", diff)
	}
	wp, _, err := want.idx.ListProducers(ctx, "", 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	gp, _, err := got.idx.ListProducers(ctx, "", 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wp, gp, protocmp.Transform()); diff != "" {
		t.Errorf("producers differ (-full load +snapshot):\n%s", diff)
	}
	if w, g := want.cands.Snapshot().Len(), got.cands.Snapshot().Len(); w != g {
		t.Errorf("%d matching candidates after a full load, %d from the snapshot", w, g)
	}
}

func startedFrom(t *testing.T, r *replica, want, reason string) {
	t.Helper()
	how, why := r.sy.StartedFrom()
	if how != want || !strings.Contains(why, reason) {
		t.Fatalf("started from %q (%q), want %q (%q)", how, why, want, reason)
	}
	if !r.sy.Ready() {
		t.Fatal("not ready after Start")
	}
}

// TestSnapshotRestart: a replica writes its snapshot as it stops; writes
// land while it is down (new, changed and deleted listings, a renamed
// producer, a producer deleted with its listings); the restarted replica
// starts from the snapshot plus the change log and answers exactly as a
// full load does. Then nothing changes, a second restart restamps the file
// and a third starts from it again.
func TestSnapshotRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ms := importSynth(t, 3, 12, 240)
	path := filepath.Join(t.TempDir(), "catalogue.snapshot")

	a := newReplica(ms, path)
	if err := a.sy.Start(ctx); err != nil {
		t.Fatal(err)
	}
	startedFrom(t, a, "full load", "no snapshot yet")
	a.run(t)() // stops at once, writing the snapshot

	// While down.
	all, _, err := a.idx.ListListings(ctx, "", "", 1<<30, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh := &pb.Listing{Name: synth.ListingName(1, 9001), Title: "Kendang snapshot drum", Category: pb.Category_MUSICAL_INSTRUMENT,
		Unit: "piece", State: pb.Listing_ACTIVE, ShipToCountryCodes: []string{"JP"}}
	if _, err := ms.CreateListing(ctx, fresh, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.UpdateListing(ctx, all[5].GetName(), "", func(l *pb.Listing) error {
		l.Title = "Djembe snapshot edition"
		l.State = pb.Listing_ACTIVE
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := ms.DeleteListing(ctx, all[9].GetName(), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := ms.UpdateProducer(ctx, synth.ProducerName(2), "", func(p *pb.Producer) error {
		p.DisplayName = "Kendang Snapshot Jaya"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := ms.DeleteProducer(ctx, synth.ProducerName(4), "", true); err != nil {
		t.Fatal(err)
	}

	b := newReplica(ms, path)
	if err := b.sy.Start(ctx); err != nil {
		t.Fatal(err)
	}
	startedFrom(t, b, "snapshot", "")
	full := newReplica(ms, "")
	if err := full.sy.Load(ctx); err != nil {
		t.Fatal(err)
	}
	sameCatalogue(t, full, b)
	res, err := b.idx.Search(&pb.SearchListingsRequest{Query: "kendang snapshot drum", PageSize: 100}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.GetHits(), func(h *pb.SearchHit) bool { return h.GetListing().GetName() == fresh.GetName() }) {
		t.Error("a listing created while the replica was down is not found after the restart")
	}
	if got, _, _ := b.idx.ListListings(ctx, synth.ProducerName(4), "", 10, nil); len(got) != 0 {
		t.Errorf("%d listings of a producer deleted while the replica was down", len(got))
	}

	// The second run writes a full snapshot (it replayed changes); the
	// third replays none and restamps it; the fourth starts from that.
	b.run(t)()
	c := newReplica(ms, path)
	if err := c.sy.Start(ctx); err != nil {
		t.Fatal(err)
	}
	startedFrom(t, c, "snapshot", "")
	before, err := snapshot.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	c.run(t)()
	after, err := snapshot.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Written.After(before.Written) || after.Size() != before.Size() {
		t.Errorf("after a run without changes: written %v -> %v, %d -> %d bytes; want a restamp", before.Written, after.Written, before.Size(), after.Size())
	}
	d := newReplica(ms, path)
	if err := d.sy.Start(ctx); err != nil {
		t.Fatal(err)
	}
	startedFrom(t, d, "snapshot", "")
	sameCatalogue(t, full, d)
}

// TestSnapshotIgnored: damaged, stale and foreign snapshots are not used;
// the full load that runs instead leaves nothing of them behind.
func TestSnapshotIgnored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ms := importSynth(t, 5, 8, 120)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.snapshot")
	a := newReplica(ms, good)
	if err := a.sy.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.sy.WriteSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	full := newReplica(ms, "")
	if err := full.sy.Load(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	variant := func(name string, change func([]byte) []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, change(append([]byte(nil), raw...)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	// Another database, same snapshot: its catalogue must be its own.
	other := importSynth(t, 6, 5, 60)
	otherFull := newReplica(other, "")
	if err := otherFull.sy.Load(ctx); err != nil {
		t.Fatal(err)
	}
	// A snapshot of another schema: same records, another schema number.
	foreignSchema := filepath.Join(dir, "schema.snapshot")
	s, err := snapshot.Read(good)
	if err != nil {
		t.Fatal(err)
	}
	w, err := snapshot.Create(foreignSchema)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Records(w.Add); err != nil {
		t.Fatal(err)
	}
	h := s.Header
	h.Schema++
	if err := w.Commit(h); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name   string
		ms     *mongostore.Store
		path   string
		later  time.Duration
		reason string
		want   *replica
	}{
		{"corrupt body", ms, variant("flip", func(b []byte) []byte { b[len(b)/2] ^= 1; return b }), 0, "body checksum", full},
		{"truncated", ms, variant("cut", func(b []byte) []byte { return b[:len(b)-7] }), 0, "body of", full},
		{"not a snapshot", ms, variant("junk", func([]byte) []byte { return []byte("{}\n") }), 0, "shorter than a header", full},
		{"stale", ms, good, 9 * time.Minute, "change log keeps", full},
		{"stamped ahead of this clock", ms, good, -3 * time.Minute, "in the future", full},
		{"other schema", ms, foreignSchema, 0, "other Listing or Producer messages", full},
		{"other database", other, good, 0, "another database", otherFull},
		{"usable", ms, good, 7 * time.Minute, "", full},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newReplica(c.ms, c.path)
			r.sy.now = func() time.Time { return time.Now().Add(c.later) }
			if err := r.sy.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if c.reason == "" {
				startedFrom(t, r, "snapshot", "")
			} else {
				startedFrom(t, r, "full load", c.reason)
			}
			sameCatalogue(t, c.want, r)
		})
	}
}
