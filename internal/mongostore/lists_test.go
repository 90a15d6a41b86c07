package mongostore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// TestMatchesByMemberProducer pins the top-level memberProducers field that
// a producer's list of matches and its open-proposal count query (an
// equality FerretDB/PostgreSQL and MongoDB's index can serve), and its
// backfill into matches stored before it existed.
func TestMatchesByMemberProducer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	s := newStore(t, c)
	match := func(id string, producers ...string) *pb.Match {
		m := &pb.Match{
			Name: "matches/" + id, BuyingRequest: "buyers/b/buyingRequests/r", Buyer: "buyers/b", State: pb.Match_PROPOSED,
			ExpireTime: timestamppb.New(c.t.Add(24 * time.Hour)),
		}
		for i, p := range producers {
			m.Members = append(m.Members, &pb.MatchMember{Listing: fmt.Sprintf("%s/listings/l%d", p, i), Producer: p, AllottedQuantity: 10})
		}
		return m
	}
	for _, m := range []*pb.Match{match("a", "producers/p", "producers/q"), match("b", "producers/q"), match("old", "producers/r", "producers/p")} {
		if _, err := s.CreateMatch(ctx, m, ""); err != nil {
			t.Fatal(err)
		}
	}
	// A match as stored before the field existed.
	coll := s.db.Collection(MatchesCollection)
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": "matches/old"}, bson.M{"$unset": bson.M{"memberProducers": ""}}); err != nil {
		t.Fatal(err)
	}
	list := func(producer string) []string {
		t.Helper()
		items, _, err := s.ListMatches(ctx, store.ListOptions{PageSize: 50, Conditions: []query.Condition{{Field: "members.producer", Op: query.Has, Value: producer}}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range items {
			names = append(names, m.GetName())
		}
		return names
	}
	if got := fmt.Sprint(list("producers/p")); got != "[matches/a]" {
		t.Fatalf("before the backfill producers/p lists %s; the test needs the field unset", got)
	}
	// The store's first start, on an empty database, marked the backfill
	// done; a database from before the field has no marker.
	settings := s.db.Collection(SettingsCollection)
	if n, err := settings.CountDocuments(ctx, bson.M{"_id": memberProducersBackfilledName}); err != nil || n != 1 {
		t.Fatalf("after the first start: %d markers, %v; want 1", n, err)
	}
	if _, err := settings.DeleteOne(ctx, bson.M{"_id": memberProducersBackfilledName}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	for producer, want := range map[string]string{
		"producers/p": "[matches/a matches/old]",
		"producers/q": "[matches/a matches/b]",
		"producers/r": "[matches/old]",
		"producers/z": "[]",
	} {
		if got := fmt.Sprint(list(producer)); got != want {
			t.Errorf("matches of %s: %s, want %s", producer, got, want)
		}
	}
	if n, err := s.CountOpenProposals(ctx, "producers/p"); err != nil || n != 2 {
		t.Errorf("open proposals of producers/p: %d, %v; want 2", n, err)
	}
	// The backfill leaves the version (and so the etag) alone.
	if m, err := s.GetMatch(ctx, "matches/old"); err != nil || m.GetEtag() != formatEtag(1) {
		t.Errorf("backfilled match: etag %q, %v; want %q", m.GetEtag(), err, formatEtag(1))
	}

	// The complete backfill wrote the marker again, and with it a later
	// start reads no matches: one stored without the field now stays so.
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": "matches/b"}, bson.M{"$unset": bson.M{"memberProducers": ""}}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := coll.CountDocuments(ctx, bson.M{"_id": "matches/b", "memberProducers": bson.M{"$exists": false}}); err != nil || n != 1 {
		t.Errorf("a start after the marker backfilled matches/b (%d left without the field, %v); want it skipped", n, err)
	}
}

// TestListsStopAtDeadline shows that a list whose caller has given up
// returns the context's error, and that the deadline reaches the database:
// the driver sends it as maxTimeMS, and FerretDB stops a scan it cannot
// finish in time with MaxTimeMSExpired (which the driver reports as
// context.DeadlineExceeded) instead of scanning on.
func TestListsStopAtDeadline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, &clock{t: time.Now()})
	coll := s.db.Collection("scan_probe")
	const n = 20000
	batch := make([]any, 0, 1000)
	for i := range n {
		batch = append(batch, bson.M{"_id": fmt.Sprintf("k%06d", i), "title": "item", "n": i})
		if len(batch) == cap(batch) {
			if _, err := coll.InsertMany(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}

	expired, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	if _, _, err := s.ListListings(expired, store.ListOptions{PageSize: 50}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("list past its deadline: %v, want context.DeadlineExceeded", err)
	}
	cancelled, cancel2 := context.WithCancel(ctx)
	cancel2()
	if _, _, err := s.ListMatches(cancelled, store.ListOptions{PageSize: 50}); !errors.Is(err, context.Canceled) {
		t.Errorf("list with a cancelled context: %v, want context.Canceled", err)
	}

	// The server side: a sorted scan of n documents for a value none has
	// cannot finish within 1 ms (FerretDB reads and sorts every document
	// in Go; about 6 s here without a limit). Had FerretDB ignored
	// maxTimeMS, the command would succeed. The client has no client-wide
	// timeout, like the app's: testdb's would replace this maxTimeMS.
	client, err := mongo.Connect(options.Client().ApplyURI(testdb.URI(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Disconnect(ctx) }()
	err = client.Database(s.db.Name()).RunCommand(ctx, bson.D{
		{Key: "find", Value: "scan_probe"},
		{Key: "filter", Value: bson.M{"title": "none"}},
		{Key: "sort", Value: bson.M{"n": -1}},
		{Key: "maxTimeMS", Value: int64(1)},
	}).Err()
	var ce mongo.CommandError
	if !errors.As(err, &ce) || !ce.IsMaxTimeMSExpiredError() || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("find with maxTimeMS 1 over %d documents: %v; want MaxTimeMSExpired", n, err)
	}
}
