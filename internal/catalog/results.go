package catalog

import (
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
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
	lru          *lru.Cache[string, cachedResult]
	hits, misses atomic.Uint64
}

type cachedResult struct {
	stamp uint64
	day   int32
	resp  *pb.SearchListingsResponse
}

// CacheResults makes Search keep the answers of the last n distinct
// requests (about 40 KB each with a page of 20 FULL hits); n <= 0 turns the
// cache off. Answers are then shared between callers, who must not change
// them (see Search). Call it before the index is used.
func (x *Index) CacheResults(n int) {
	if n <= 0 {
		x.results = nil
		return
	}
	c, err := lru.New[string, cachedResult](n)
	if err != nil {
		x.results = nil
		return
	}
	x.results = &resultCache{lru: c}
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
	if e, ok := x.results.lru.Get(key); ok && e.stamp == x.stamp && e.day == day {
		x.results.hits.Add(1)
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
	x.results.lru.Add(key, cachedResult{stamp: x.stamp, day: day, resp: resp})
}
