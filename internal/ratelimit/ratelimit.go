// Package ratelimit keeps one token bucket per key ("addr:203.0.113.5",
// "sub:producer-123", ...) with bounded memory.
//
// A bucket holds up to burst tokens and refills at limit tokens per second;
// a call takes one token or is refused with the time until a token will be
// there. A refused call takes nothing, so a client that keeps retrying while
// refused is not pushed further back.
//
// # Memory
//
// Keys come from the network, and an attacker can make new ones at will (an
// IPv6 host owns 2^64 addresses; see ClientIP). Memory is bounded twice:
//
//   - An entry unused for the idle TTL is dropped. The TTL is never shorter
//     than the time a bucket needs to refill from empty, so the dropped bucket
//     was full and a new bucket for the same key behaves exactly like it:
//     idle eviction loses nothing. Idle entries are dropped a few at a time
//     during Allow, and all at once by Sweep.
//   - The number of entries is capped (WithMaxKeys). When the cap is reached a
//     new key evicts the entry that has been idle the longest. That entry may
//     not have been full yet, so its owner gets a fresh burst: with more
//     active keys than the cap, limiting degrades towards "burst per cap
//     churn", but memory never grows. Size the cap above the number of keys
//     active within one idle TTL in normal operation.
//
// Entries are spread over up to 64 shards, each with its own lock, map and
// recency list, so concurrent callers rarely wait on each other. "Idle the
// longest" is judged within a shard. The cap is divided among the shards;
// small caps use fewer shards (a cap below 512 uses one shard, and eviction
// order is then exact).
package ratelimit

import (
	"hash/maphash"
	"math"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/time/rate"
)

// Defaults for the options.
const (
	// DefaultMaxKeys caps the entries of a Keyed. An entry costs about
	// 180 bytes plus its key (measured by TestMemoryPerEntry), so the
	// default bounds a limiter at some 20–25 MB.
	DefaultMaxKeys = 100_000
	// DefaultIdleTTL is how long an unused entry is kept (but never less than
	// the time its bucket takes to refill).
	DefaultIdleTTL = 5 * time.Minute
)

const (
	maxShards = 64
	// minPerShard keeps shards large enough that per-shard eviction is close
	// to global oldest-idle eviction.
	minPerShard = 256
	// sweepPerCall is how many expired entries an Allow call may drop.
	// Allow adds at most one entry, so any value >= 2 lets cleanup outpace
	// growth on a busy shard.
	sweepPerCall = 2
)

// Option configures a Keyed.
type Option func(*config)

type config struct {
	maxKeys int
	idleTTL time.Duration
	now     func() time.Time
}

// WithMaxKeys caps the number of entries. n < 1 means DefaultMaxKeys.
func WithMaxKeys(n int) Option {
	return func(c *config) {
		if n >= 1 {
			c.maxKeys = n
		}
	}
}

// WithIdleTTL sets how long an unused entry is kept; it is raised to the
// bucket's refill time (burst/limit) if shorter. d <= 0 means DefaultIdleTTL.
func WithIdleTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.idleTTL = d
		}
	}
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// Keyed is a set of token buckets, one per key. It is safe for concurrent
// use. The zero value is not usable; call New.
type Keyed struct {
	limit     rate.Limit
	burst     int
	unlimited bool
	ttl       time.Duration
	maxKeys   int
	now       func() time.Time
	seed      maphash.Seed
	shards    []shard
}

type shard struct {
	shardState
	// Pad to a multiple of 128 bytes (two cache lines, for CPUs that fetch
	// lines in pairs) so that neighbouring shards' locks do not share a line.
	_ [128 - unsafe.Sizeof(shardState{})%128]byte
}

type shardState struct {
	mu   sync.Mutex
	m    map[string]*entry
	max  int
	head *entry // most recently used
	tail *entry // idle the longest
}

type entry struct {
	key        string
	lim        *rate.Limiter
	seen       time.Time // last Allow for this key, allowed or refused
	prev, next *entry    // prev is towards head
}

// New returns a limiter that allows each key burst calls at once and limit
// calls per second on average. limit <= 0 (or rate.Inf) means unlimited:
// Allow always succeeds and keeps no state. With a limit, burst < 1 is
// raised to 1 (a bucket that can never hold a token would refuse forever).
func New(limit rate.Limit, burst int, opts ...Option) *Keyed {
	c := config{maxKeys: DefaultMaxKeys, idleTTL: DefaultIdleTTL, now: time.Now}
	for _, o := range opts {
		o(&c)
	}
	k := &Keyed{limit: limit, burst: burst, now: c.now, maxKeys: c.maxKeys, seed: maphash.MakeSeed()}
	if limit <= 0 || limit == rate.Inf {
		k.unlimited = true
		return k
	}
	if k.burst < 1 {
		k.burst = 1
	}
	k.ttl = c.idleTTL
	if fill := durationFor(float64(k.burst), limit); fill > k.ttl {
		k.ttl = fill
	}

	n := 1
	for n < maxShards && c.maxKeys/(n*2) >= minPerShard {
		n *= 2
	}
	k.shards = make([]shard, n)
	for i := range k.shards {
		s := &k.shards[i]
		s.max = c.maxKeys / n
		if i < c.maxKeys%n {
			s.max++
		}
		s.m = make(map[string]*entry)
	}
	return k
}

// Allow takes a token from key's bucket. If the bucket is empty it reports
// false and how long until it holds a token again; the refused call takes
// nothing. retryAfter is rounded up to the nanosecond; for an HTTP
// Retry-After header round it up to whole seconds.
func (k *Keyed) Allow(key string) (ok bool, retryAfter time.Duration) {
	if k.unlimited {
		return true, 0
	}
	now := k.now()
	s := &k.shards[maphash.String(k.seed, key)&uint64(len(k.shards)-1)]
	s.mu.Lock()
	defer s.mu.Unlock()

	e := s.m[key]
	if e == nil {
		if len(s.m) >= s.max {
			s.remove(s.tail)
		}
		e = &entry{key: key, lim: rate.NewLimiter(k.limit, k.burst)}
		s.m[key] = e
	} else {
		s.unlink(e)
	}
	s.pushFront(e)
	e.seen = now
	s.expire(now, k.ttl, sweepPerCall)

	// AllowN never takes a token when it refuses. The shard lock is held, so
	// nobody else touches the bucket between AllowN and TokensAt: the
	// missing fraction of a token is exact (no Reserve/Cancel round trip,
	// which would allocate and restore the token only approximately).
	if e.lim.AllowN(now, 1) {
		return true, 0
	}
	return false, durationFor(1-e.lim.TokensAt(now), k.limit)
}

// Sweep drops every entry that has been idle for the TTL. Allow already
// drops a few on each call; Sweep is for a periodic ticker so that keys on
// shards without traffic do not linger until the cap pushes them out.
func (k *Keyed) Sweep() {
	if k.unlimited {
		return
	}
	now := k.now()
	for i := range k.shards {
		s := &k.shards[i]
		s.mu.Lock()
		s.expire(now, k.ttl, math.MaxInt)
		s.mu.Unlock()
	}
}

// Len is the number of keys currently held.
func (k *Keyed) Len() int {
	n := 0
	for i := range k.shards {
		s := &k.shards[i]
		s.mu.Lock()
		n += len(s.m)
		s.mu.Unlock()
	}
	return n
}

// MaxKeys is the cap on Len.
func (k *Keyed) MaxKeys() int { return k.maxKeys }

// expire drops up to max entries from the idle end of the list that have
// not been used for ttl. The list is ordered by last use, so it stops at the
// first entry still in use.
func (s *shard) expire(now time.Time, ttl time.Duration, max int) {
	for ; max > 0 && s.tail != nil && now.Sub(s.tail.seen) >= ttl; max-- {
		s.remove(s.tail)
	}
}

func (s *shard) remove(e *entry) {
	s.unlink(e)
	delete(s.m, e.key)
}

func (s *shard) unlink(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		s.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		s.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (s *shard) pushFront(e *entry) {
	e.next = s.head
	if s.head != nil {
		s.head.prev = e
	}
	s.head = e
	if s.tail == nil {
		s.tail = e
	}
}

// durationFor is the time limit needs to produce tokens, rounded up.
func durationFor(tokens float64, limit rate.Limit) time.Duration {
	if tokens <= 0 {
		return 0
	}
	d := math.Ceil(tokens / float64(limit) * float64(time.Second))
	if d >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}
