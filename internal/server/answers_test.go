package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/policy"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// synthIndex returns an index of a synthetic catalogue.
func synthIndex(seed int64, producers, listings int, now time.Time) *catalog.Index {
	ds := synth.Generate(seed, producers, listings, now)
	idx := catalog.New(catalog.DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		idx.PutProducer(p)
	}
	for _, l := range ds.Listings {
		idx.PutListing(l)
	}
	return idx
}

// startSearchServer runs a server whose only data is idx (searches
// answered at now), on loopback ports; answers turns on the kept-answer
// path (idx.CacheResults must be on for answers to be kept). stop ends
// it and returns Run's error.
func startSearchServer(t testing.TB, idx *catalog.Index, now time.Time, answers bool) (s *Server, stop func() error) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := Options{
		GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", RequestTimeout: 10 * time.Second, ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20,
		Access: Access{Verifier: noTokens{}, Policy: policy.New(nil)},
	}
	if answers {
		opts.SearchAnswers = indexAnswers{idx}
	}
	s, err := New(context.Background(), opts, grpcapi.New(grpcapi.Options{Log: log, Search: idx, Now: func() time.Time { return now }}), log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return s, func() error { cancel(); return <-done }
}

// indexAnswers adapts the index as app does.
type indexAnswers struct{ idx *catalog.Index }

func (a indexAnswers) Memo(r *pb.SearchListingsResponse) JSONMemo {
	if m := a.idx.AnswerMemo(r); m != nil {
		return m
	}
	return nil
}

func (indexAnswers) ListingsShared() bool { return true }

// TestKeptAnswersOverTheChannel: a kept search answer reaches the gateway
// through the in-process channel as a shallow copy (its hits shared, not
// copied), its JSON is written once and then reused, and every JSON is
// protojson's for the answer the index gives at that moment, before and
// after a write.
func TestKeptAnswersOverTheChannel(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	idx := synthIndex(11, 100, 800, now)
	idx.CacheResults(16)
	svc := grpcapi.New(grpcapi.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Search: idx, Now: func() time.Time { return now }}).Search
	pass := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		return h(ctx, req)
	}
	ch := newInprocChannel(pass, nil)
	ch.shared = sharedSearchAnswer
	pb.RegisterSearchServiceServer(ch, svc)
	client := pb.NewSearchServiceClient(ch)
	fast, plain := gatewayMarshaler(0, nil).withAnswers(indexAnswers{idx}), plainGatewayJSON()

	req := &pb.SearchListingsRequest{Query: "djembe", PageSize: 10}
	call := func(step string) (*pb.SearchListingsResponse, []byte) {
		t.Helper()
		out, err := client.SearchListings(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		got, err := fast.Marshal(out)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		want, err := plain.Marshal(out)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: the gateway wrote\n%s\nprotojson writes\n%s", step, got, want)
		}
		return out, got
	}
	first, firstJSON := call("first")
	if len(first.GetHits()) == 0 {
		t.Fatal("no hits for djembe")
	}
	kept, err := idx.Search(req, now)
	if err != nil {
		t.Fatal(err)
	}
	if first.GetHits()[0] != kept.GetHits()[0] {
		t.Fatal("the kept answer was deep-copied over the channel")
	}
	memo := idx.AnswerMemo(first)
	if memo == nil || !bytes.Equal(memo.Load(), firstJSON) {
		t.Fatalf("the answer's JSON was not kept with it: %q", memo.Load())
	}
	// The memo is what the next caller gets: poison it to see it used.
	memo.Store([]byte(`{"memo":true}`))
	if _, err := client.SearchListings(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	again, err := client.SearchListings(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := fast.Marshal(again); string(b) != `{"memo":true}` {
		t.Fatalf("the second answer was encoded afresh: %.80s", b)
	}
	memo.Store(firstJSON)

	// A write: the next answer is computed again, with its own JSON.
	l := proto.CloneOf(first.GetHits()[0].GetListing())
	l.Title = "Djembe, retitled after a write"
	full := idx.Listing(l.GetName())
	full.Title = l.Title
	idx.PutListing(full)
	after, afterJSON := call("after a write")
	if after.GetHits()[0] == first.GetHits()[0] || bytes.Equal(afterJSON, firstJSON) {
		t.Fatal("the answer from before the write was served after it")
	}
	if !bytes.Contains(afterJSON, []byte("retitled after a write")) {
		t.Fatalf("the new title is missing: %.200s", afterJSON)
	}

	// Without the shared mark, the channel copies deeply as before.
	ch2 := newInprocChannel(pass, nil)
	pb.RegisterSearchServiceServer(ch2, svc)
	deep, err := pb.NewSearchServiceClient(ch2).SearchListings(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if deep.GetHits()[0] == after.GetHits()[0] || !proto.Equal(deep, after) {
		t.Fatal("without the mark the answer must arrive as an equal deep copy")
	}
}
