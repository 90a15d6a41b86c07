package catalog

import (
	"sync"
	"sync/atomic"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// resultCache keeps whole answers to repeated searches: buyers ask the same
// few questions ("djembe", "koi" to Japan, the first page of everything)
// far more often than the catalogue changes. An answer is reused only for
// the same request (every field, page token included, in deterministic
// wire form), on the same Blitar day (certificates in force), and while
// the index has not been written since it was computed (stamp, which every
// put, delete and rate change moves). Anything else computes afresh, so a
// cached answer is always the answer Search would give now.
type resultCache struct {
	hits, misses atomic.Uint64

	mu  sync.Mutex // guards lru and memos, which change together
	lru *simplelru.LRU[string, cachedResult]
	// memos finds a kept answer by its first hit, which a shallow copy of
	// the answer shares (see AnswerMemo). Holding the hit keeps it alive,
	// so no other answer can have its address while it is here.
	memos map[*pb.SearchHit]*Memo
}

type cachedResult struct {
	stamp uint64
	day   int32
	resp  *pb.SearchListingsResponse
	memo  *Memo
}

// Memo is a slot for an encoding of one kept answer (the REST gateway
// keeps its JSON there): the answer never changes, so neither does its
// encoding.
type Memo struct{ b atomic.Pointer[[]byte] }

// Load returns the stored encoding, or nil.
func (m *Memo) Load() []byte {
	if p := m.b.Load(); p != nil {
		return *p
	}
	return nil
}

// Store keeps b, which nobody may change afterwards.
func (m *Memo) Store(b []byte) { m.b.Store(&b) }

// AnswerMemo returns the memo of the kept answer r is (or is a shallow
// copy of: its hits are the answer's), or nil when r is not a kept answer
// or has no hits.
func (x *Index) AnswerMemo(r *pb.SearchListingsResponse) *Memo {
	c := x.results
	if c == nil || len(r.GetHits()) == 0 || r.GetHits()[0] == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.memos[r.GetHits()[0]]
}

// forget drops the memo of an answer that leaves the cache (replaced or
// evicted). Callers hold c.mu.
func (c *resultCache) forget(e cachedResult) {
	if hits := e.resp.GetHits(); len(hits) > 0 && c.memos[hits[0]] == e.memo {
		delete(c.memos, hits[0])
	}
}

// CacheResults makes Search keep the answers of the last n distinct
// requests (about 40 KB each with a page of 20 FULL hits, and as much
// again for the JSON the gateway keeps with it); n <= 0 turns the
// cache off. Answers are then shared between callers, who must not change
// them (see Search). Call it before the index is used.
func (x *Index) CacheResults(n int) {
	if n <= 0 {
		x.results = nil
		return
	}
	rc := &resultCache{memos: map[*pb.SearchHit]*Memo{}}
	c, err := simplelru.NewLRU[string, cachedResult](n, func(_ string, e cachedResult) { rc.forget(e) })
	if err != nil {
		x.results = nil
		return
	}
	rc.lru = c
	x.results = rc
}

// ResultCacheStats returns the hits and misses of the answer cache.
func (x *Index) ResultCacheStats() (hits, misses uint64) {
	if x.results == nil {
		return 0, 0
	}
	return x.results.hits.Load(), x.results.misses.Load()
}

// resultKey is the cache key of req, or "" when it has none.
func resultKey(req *pb.SearchListingsRequest) string {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(req)
	if err != nil {
		return ""
	}
	return string(b)
}

// cached returns the answer to key computed at stamp on day, if kept.
// Callers hold x.mu (read).
func (x *Index) cached(key string, day int32) *pb.SearchListingsResponse {
	if x.results == nil || key == "" || x.noTermCache {
		return nil
	}
	c := x.results
	c.mu.Lock()
	e, ok := c.lru.Get(key)
	c.mu.Unlock()
	if ok && e.stamp == x.stamp && e.day == day {
		c.hits.Add(1)
		return e.resp
	}
	x.results.misses.Add(1)
	return nil
}

// keep stores an answer computed under x.mu (read) at the current stamp.
func (x *Index) keep(key string, day int32, resp *pb.SearchListingsResponse) {
	if x.results == nil || key == "" || x.noTermCache {
		return
	}
	c := x.results
	e := cachedResult{stamp: x.stamp, day: day, resp: resp, memo: &Memo{}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.lru.Peek(key); ok {
		c.forget(old) // replaced, not evicted: no callback
	}
	c.lru.Add(key, e) // may evict the oldest, whose memo the callback drops
	if hits := resp.GetHits(); len(hits) > 0 && hits[0] != nil {
		c.memos[hits[0]] = e.memo
	}
}
