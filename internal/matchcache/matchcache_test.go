package matchcache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matching"
)

type source struct {
	*matching.SliceSource
	rates *pb.ExchangeRates
}

func (s *source) ExchangeRates() *pb.ExchangeRates { return s.rates }

// store fakes the requirement catalogue and the match history. during, when
// set, runs inside every read.
type store struct {
	reqs     []*pb.Requirement
	matches  []*pb.Match
	err      error
	reqReads int
	hisReads int
	during   func()
}

func (s *store) AllRequirements(context.Context) ([]*pb.Requirement, error) {
	s.reqReads++
	if s.during != nil {
		s.during()
	}
	return s.reqs, s.err
}

func (s *store) AllMatches(_ context.Context, fn func(*pb.Match) error) error {
	s.hisReads++
	if s.during != nil {
		s.during()
	}
	if s.err != nil {
		return s.err
	}
	for _, m := range s.matches {
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func setup() (*Cache, *store, *source, *clock) {
	st := &store{reqs: []*pb.Requirement{{Name: "requirements/a", Etag: "v1"}}}
	src := &source{SliceSource: matching.NewSliceSource(nil), rates: &pb.ExchangeRates{}}
	clk := &clock{t: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	c := New(src, st, st, Options{StatsTTL: 30 * time.Second, RequirementsTTL: 2 * time.Second, Now: clk.now})
	return c, st, src, clk
}

func engine(t *testing.T, c *Cache) *matching.Engine {
	t.Helper()
	e, err := c.Engine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngineIsKeptWithinTheTTLs(t *testing.T) {
	c, st, _, clk := setup()
	first := engine(t, c)
	clk.advance(time.Second)
	if engine(t, c) != first {
		t.Error("a second call within both TTLs built a new engine")
	}
	if st.reqReads != 1 || st.hisReads != 1 {
		t.Errorf("reads: requirements %d, history %d; want 1 and 1", st.reqReads, st.hisReads)
	}
}

func TestRequirementsAreReadAgainAfterTheirTTL(t *testing.T) {
	c, st, _, clk := setup()
	first := engine(t, c)

	clk.advance(3 * time.Second) // past RequirementsTTL, within StatsTTL
	if engine(t, c) != first {
		t.Error("an unchanged catalogue built a new engine")
	}
	if st.reqReads != 2 || st.hisReads != 1 {
		t.Errorf("reads: requirements %d, history %d; want 2 and 1", st.reqReads, st.hisReads)
	}

	st.reqs = []*pb.Requirement{{Name: "requirements/a", Etag: "v2"}}
	if engine(t, c) != first {
		t.Error("the catalogue was read again within its TTL")
	}
	clk.advance(3 * time.Second)
	if engine(t, c) == first {
		t.Error("an edited requirement kept the old engine")
	}

	second := engine(t, c)
	st.reqs = append(st.reqs, &pb.Requirement{Name: "requirements/b", Etag: "v1"})
	clk.advance(3 * time.Second)
	if engine(t, c) == second {
		t.Error("a new requirement kept the old engine")
	}
}

func TestNewExchangeRatesBuildANewEngine(t *testing.T) {
	c, st, src, _ := setup()
	first := engine(t, c)
	src.rates = &pb.ExchangeRates{}
	if engine(t, c) == first {
		t.Error("new rates kept the old engine")
	}
	if st.reqReads != 1 || st.hisReads != 1 {
		t.Errorf("new rates read the store: requirements %d, history %d", st.reqReads, st.hisReads)
	}
}

func TestProducerCountsAreRefreshedAfterTheirTTL(t *testing.T) {
	c, st, _, clk := setup()
	first := engine(t, c)
	clk.advance(29 * time.Second)
	st.reqs = st.reqs[:1:1]
	_ = engine(t, c)
	if st.hisReads != 1 {
		t.Fatalf("history read %d times within its TTL", st.hisReads)
	}
	clk.advance(2 * time.Second) // 31 s after the first read
	if engine(t, c) == first {
		t.Error("new producer counts kept the old engine")
	}
	if st.hisReads != 2 {
		t.Errorf("history read %d times, want 2", st.hisReads)
	}
}

func TestTheLockIsFreeWhileTheStoreIsRead(t *testing.T) {
	c, st, _, clk := setup()
	st.during = func() {
		if !c.mu.TryLock() {
			t.Error("the cache's lock is held during a store read")
			return
		}
		c.mu.Unlock()
	}
	_ = engine(t, c)
	clk.advance(time.Minute)
	_ = engine(t, c)
	if st.reqReads != 2 || st.hisReads != 2 {
		t.Fatalf("reads: requirements %d, history %d; want 2 and 2", st.reqReads, st.hisReads)
	}
}

func TestAFailedReadIsReturnedAndRetried(t *testing.T) {
	c, st, _, _ := setup()
	boom := errors.New("database gone")
	st.err = boom
	if _, err := c.Engine(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("Engine: %v, want %v", err, boom)
	}
	st.err = nil
	_ = engine(t, c)
	if st.reqReads != 2 {
		t.Errorf("requirements read %d times, want a retry after the failure", st.reqReads)
	}
}

// Callers arriving while the catalogue is being read wait for that read
// instead of starting their own.
func TestConcurrentCallersShareOneRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, st, _, _ := setup()
		release := make(chan struct{})
		var once sync.Once
		st.during = func() { once.Do(func() { <-release }) }
		var wg sync.WaitGroup
		engines := make([]*matching.Engine, 4)
		for i := range engines {
			wg.Go(func() {
				e, err := c.Engine(context.Background())
				if err != nil {
					t.Error(err)
				}
				engines[i] = e
			})
		}
		synctest.Wait() // every caller is blocked in, or waiting for, the one read
		close(release)
		wg.Wait()
		if st.reqReads != 1 || st.hisReads != 1 {
			t.Errorf("reads: requirements %d, history %d; want 1 and 1", st.reqReads, st.hisReads)
		}
		for _, e := range engines[1:] {
			if e != engines[0] {
				t.Error("concurrent callers got different engines")
			}
		}
	})
}

func TestProducerStats(t *testing.T) {
	st := &store{matches: []*pb.Match{
		{State: pb.Match_CLOSED_DEAL, Members: []*pb.MatchMember{
			{Producer: "producers/a", Answer: pb.Answer_ACCEPTED},
			{Producer: "producers/b", Answer: pb.Answer_ACCEPTED},
		}},
		{State: pb.Match_DECLINED, Members: []*pb.MatchMember{{Producer: "producers/a", Answer: pb.Answer_DECLINED}}},
		{State: pb.Match_PROPOSED, Members: []*pb.MatchMember{{Producer: "producers/a", Answer: pb.Answer_PENDING}}},
	}}
	got, err := ProducerStats(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]matching.ProducerStats{
		"producers/a": {Proposals: 3, Answered: 2, Deals: 1},
		"producers/b": {Proposals: 1, Answered: 1, Deals: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
}
