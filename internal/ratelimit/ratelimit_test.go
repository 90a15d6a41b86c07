package ratelimit

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/adiekspor/temubisnis/internal/testclock"
)

// newClock is a manual clock; tests move it, nothing sleeps.
func newClock() *testclock.Clock { return testclock.New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)) }

func mustAllow(t *testing.T, k *Keyed, key string) {
	t.Helper()
	if ok, retry := k.Allow(key); !ok {
		t.Fatalf("Allow(%q) refused, retry after %v", key, retry)
	}
}

func mustRefuse(t *testing.T, k *Keyed, key string) time.Duration {
	t.Helper()
	ok, retry := k.Allow(key)
	if ok {
		t.Fatalf("Allow(%q) allowed, want refused", key)
	}
	if retry <= 0 {
		t.Fatalf("Allow(%q) refused with retry after %v", key, retry)
	}
	return retry
}

func TestUnlimited(t *testing.T) {
	for _, limit := range []rate.Limit{0, -1, rate.Inf} {
		k := New(limit, 0)
		for i := range 1000 {
			if ok, retry := k.Allow("addr:" + strconv.Itoa(i%3)); !ok || retry != 0 {
				t.Fatalf("limit %v: Allow = %v, %v", limit, ok, retry)
			}
		}
		if k.Len() != 0 {
			t.Fatalf("limit %v: unlimited limiter holds %d keys", limit, k.Len())
		}
		k.Sweep() // no shards; must not panic
	}
}

func TestBurstThenRefuseWithRetryHint(t *testing.T) {
	c := newClock()
	k := New(2, 3, WithClock(c.Now)) // 2/s, burst 3
	for range 3 {
		mustAllow(t, k, "sub:a")
	}
	if retry := mustRefuse(t, k, "sub:a"); retry != 500*time.Millisecond {
		t.Fatalf("retry after %v, want 500ms", retry)
	}
	c.Advance(200 * time.Millisecond)
	if retry := mustRefuse(t, k, "sub:a"); retry != 300*time.Millisecond {
		t.Fatalf("retry after %v, want 300ms", retry)
	}
	c.Advance(300 * time.Millisecond)
	mustAllow(t, k, "sub:a")
	mustRefuse(t, k, "sub:a")

	// Other keys have their own buckets.
	for range 3 {
		mustAllow(t, k, "sub:b")
	}
	mustRefuse(t, k, "sub:b")
}

func TestRefusedCallsTakeNothing(t *testing.T) {
	c := newClock()
	k := New(1, 1, WithClock(c.Now))
	mustAllow(t, k, "addr:x")
	var retry time.Duration
	for range 1000 {
		retry = mustRefuse(t, k, "addr:x")
	}
	if retry != time.Second {
		t.Fatalf("after 1000 refusals retry after %v, want 1s", retry)
	}
	c.Advance(retry)
	mustAllow(t, k, "addr:x")
}

// Waiting exactly retryAfter is always enough, and retryAfter is not
// overstated, across awkward rates and bursts.
func TestRetryAfterIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		limit := rate.Limit(0.01 + rng.Float64()*1000)
		burst := 1 + rng.IntN(20)
		c := newClock()
		k := New(limit, burst, WithClock(c.Now))
		key := "k"
		for {
			ok, retry := k.Allow(key)
			if ok {
				// Spend a random part of the refill between calls.
				c.Advance(time.Duration(rng.Int64N(int64(time.Second / time.Duration(1+limit)))))
				continue
			}
			if retry > time.Millisecond {
				c.Advance(retry - time.Millisecond)
				if ok, _ := k.Allow(key); ok {
					t.Fatalf("case %d (limit %v, burst %d): allowed 1ms before retryAfter %v", i, limit, burst, retry)
				}
				c.Advance(time.Millisecond)
			} else {
				c.Advance(retry)
			}
			if ok, again := k.Allow(key); !ok {
				t.Fatalf("case %d (limit %v, burst %d): refused after waiting retryAfter %v (now %v)", i, limit, burst, retry, again)
			}
			break
		}
	}
}

func TestBurstBelowOneIsRaised(t *testing.T) {
	c := newClock()
	k := New(1, 0, WithClock(c.Now))
	mustAllow(t, k, "a")
	if retry := mustRefuse(t, k, "a"); retry != time.Second {
		t.Fatalf("retry after %v", retry)
	}
}

func TestIdleEntriesExpireDuringAllow(t *testing.T) {
	c := newClock()
	k := New(10, 5, WithClock(c.Now), WithIdleTTL(time.Minute), WithMaxKeys(100))
	for i := range 50 {
		mustAllow(t, k, "addr:"+strconv.Itoa(i))
	}
	if k.Len() != 50 {
		t.Fatalf("Len = %d, want 50", k.Len())
	}
	c.Advance(59 * time.Second)
	mustAllow(t, k, "busy")
	if k.Len() != 51 {
		t.Fatalf("entries dropped before their TTL: Len = %d", k.Len())
	}
	c.Advance(time.Second)
	// Each call drops up to sweepPerCall expired entries; "busy" itself is
	// in use and stays.
	for range 25 {
		mustAllow(t, k, "busy")
		c.Advance(time.Millisecond * 100)
	}
	if k.Len() != 1 {
		t.Fatalf("after 25 calls Len = %d, want 1 (only the busy key)", k.Len())
	}
}

func TestSweep(t *testing.T) {
	c := newClock()
	k := New(10, 5, WithClock(c.Now), WithIdleTTL(time.Minute))
	for i := range 5000 {
		mustAllow(t, k, "addr:"+strconv.Itoa(i))
	}
	c.Advance(30 * time.Second)
	mustAllow(t, k, "recent")
	k.Sweep()
	if k.Len() != 5001 {
		t.Fatalf("Sweep dropped entries in use: Len = %d", k.Len())
	}
	c.Advance(30 * time.Second)
	k.Sweep()
	if k.Len() != 1 {
		t.Fatalf("after Sweep Len = %d, want 1", k.Len())
	}
	mustAllow(t, k, "recent")
}

// An entry is not dropped for idleness while its bucket is still refilling:
// the TTL is raised to the refill time, so eviction never hands out a fresh
// burst early.
func TestIdleEvictionWaitsForRefill(t *testing.T) {
	c := newClock()
	k := New(rate.Every(time.Hour), 2, WithClock(c.Now), WithIdleTTL(time.Minute))
	mustAllow(t, k, "slow")
	mustAllow(t, k, "slow")
	c.Advance(10 * time.Minute)
	k.Sweep()
	if k.Len() != 1 {
		t.Fatalf("drained bucket dropped after 10 minutes idle")
	}
	if retry := mustRefuse(t, k, "slow"); retry != 50*time.Minute {
		t.Fatalf("retry after %v, want 50m", retry)
	}
	c.Advance(2 * time.Hour) // refilled; entry expires
	k.Sweep()
	if k.Len() != 0 {
		t.Fatalf("refilled idle bucket kept: Len = %d", k.Len())
	}
}

func TestCapEvictsOldestIdle(t *testing.T) {
	c := newClock()
	k := New(1, 1, WithClock(c.Now), WithMaxKeys(3))
	for _, key := range []string{"a", "b", "c"} {
		mustAllow(t, k, key)
		c.Advance(time.Millisecond)
	}
	mustRefuse(t, k, "a") // "a" is now the most recently used
	c.Advance(time.Millisecond)
	mustAllow(t, k, "d") // evicts "b", idle the longest
	if k.Len() != 3 {
		t.Fatalf("Len = %d, want 3", k.Len())
	}
	mustRefuse(t, k, "a") // kept, still drained
	mustRefuse(t, k, "c")
	mustRefuse(t, k, "d")
	mustAllow(t, k, "b") // evicted: a fresh bucket (evicting "a"); that is the price of the cap
	if k.Len() != 3 {
		t.Fatalf("Len = %d, want 3", k.Len())
	}
}

// An attacker rotating addresses cannot grow the limiter past its cap.
func TestCapHoldsUnderManyKeys(t *testing.T) {
	for _, max := range []int{1, 7, 511, 512, 10_000, DefaultMaxKeys} {
		t.Run(strconv.Itoa(max), func(t *testing.T) {
			c := newClock()
			k := New(1, 1, WithClock(c.Now), WithMaxKeys(max))
			if k.MaxKeys() != max {
				t.Fatalf("MaxKeys = %d", k.MaxKeys())
			}
			n := 3 * max
			if n < 1000 {
				n = 1000
			}
			for i := range n {
				k.Allow(fmt.Sprintf("addr:2001:db8:%x::/64", i))
				if i%997 == 0 && k.Len() > max {
					t.Fatalf("after %d keys Len = %d > %d", i+1, k.Len(), max)
				}
			}
			if got := k.Len(); got > max || got < max*9/10 {
				// The cap is split among shards; keys hash unevenly, so a
				// shard may still have room while another evicts.
				t.Fatalf("Len = %d, want at most %d and close to it", got, max)
			}
		})
	}
}

func TestShardCapsAddUp(t *testing.T) {
	for _, max := range []int{1, 2, 255, 511, 512, 513, 1000, 16_385, 100_000, 1 << 20} {
		k := New(1, 1, WithMaxKeys(max))
		sum := 0
		for i := range k.shards {
			if k.shards[i].max < 1 {
				t.Fatalf("max %d: shard %d has cap %d", max, i, k.shards[i].max)
			}
			sum += k.shards[i].max
		}
		if sum != max {
			t.Fatalf("max %d: shard caps add up to %d", max, sum)
		}
		if n := len(k.shards); n&(n-1) != 0 || n > maxShards || (n > 1 && max/n < minPerShard) {
			t.Fatalf("max %d: %d shards", max, n)
		}
	}
}

// With the clock stopped, goroutines racing on one key get exactly burst
// tokens between them.
func TestConcurrentCallersShareOneBucket(t *testing.T) {
	c := newClock()
	const burst = 100
	k := New(1, burst, WithClock(c.Now))
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 500 {
				if ok, _ := k.Allow("hot"); ok {
					allowed.Add(1)
				}
				k.Allow(fmt.Sprintf("g%d-%d", g, i%50)) // other keys at the same time
			}
		})
	}
	wg.Wait()
	if allowed.Load() != burst {
		t.Fatalf("%d calls allowed, want %d", allowed.Load(), burst)
	}
}

func TestMemoryPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates ~30 MB")
	}
	const n = 100_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("addr:198.%d.%d.%d", i>>16, (i>>8)&255, i&255)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	k := New(1, 1, WithMaxKeys(n))
	for _, key := range keys {
		k.Allow(key)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%d entries: %.0f bytes each, excluding the key strings (kept by the test)", k.Len(), per)
	runtime.KeepAlive(k)
	runtime.KeepAlive(keys)
	if per > 400 {
		t.Fatalf("%.0f bytes per entry", per)
	}
}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("addr:203.0.%d.%d", i>>8&255, i&255)
	}
	return keys
}

// A working set of keys that fits the cap: the common case.
func BenchmarkAllowParallel(b *testing.B) {
	keys := benchKeys(4096)
	k := New(1e6, 1000) // high limit: measure bookkeeping, mostly allowed
	var seq atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := seq.Add(7919)
		for pb.Next() {
			k.Allow(keys[i%uint64(len(keys))])
			i++
		}
	})
}

// Every goroutine on the same key: the worst case for lock contention.
func BenchmarkAllowParallelOneKey(b *testing.B) {
	k := New(1e9, 1000)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k.Allow("sub:producer-123")
		}
	})
}

// Far more keys than the cap: every call inserts and evicts (an attacker
// rotating addresses).
func BenchmarkAllowParallelChurn(b *testing.B) {
	keys := benchKeys(1 << 16)
	k := New(10, 10, WithMaxKeys(4096))
	var seq atomic.Uint64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := seq.Add(104729)
		for pb.Next() {
			k.Allow(keys[i%uint64(len(keys))])
			i += 4099
		}
	})
}
