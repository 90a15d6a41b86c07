// Package matchcache keeps a matching engine ready for the calls that rank
// or check fits: it rebuilds the engine when the requirement catalogue or
// the exchange rates change, and refreshes the producers' answer and deal
// counts (matching.ProducerStats) at most every StatsTTL, so that a call
// reads neither the catalogue nor every match in full.
//
// Reads of the store happen outside the cache's lock and one at a time
// (singleflight): a slow database delays the callers that need the fresh
// copy and never blocks the lock that every caller takes.
package matchcache

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matching"
)

// Source is the in-memory catalogue the engine scans, with the exchange
// rates it compares prices with (catalogsync.Candidates implements it).
type Source interface {
	matching.Source
	ExchangeRates() *pb.ExchangeRates
}

// Requirements reads the whole requirement catalogue.
type Requirements interface {
	AllRequirements(ctx context.Context) ([]*pb.Requirement, error)
}

// History gives every match, for the responsiveness and deal counts of
// producers.
type History interface {
	AllMatches(ctx context.Context, fn func(*pb.Match) error) error
}

// Defaults of Options: how stale the producers' counts may be, and how
// stale the requirement catalogue may be (it changes a few times a year; a
// trade-office edit shows within seconds).
const (
	DefaultStatsTTL        = 30 * time.Second
	DefaultRequirementsTTL = 2 * time.Second
)

// Options configure a Cache.
type Options struct {
	// Weights of the engine's soft criteria.
	Weights matching.Weights
	// StatsTTL and RequirementsTTL: 0 means the defaults above.
	StatsTTL, RequirementsTTL time.Duration
	// Now is the clock of the TTLs and of the engine; nil means time.Now.
	Now func() time.Time
}

// Cache holds the current engine. It is safe for concurrent use.
type Cache struct {
	src     Source
	reqs    Requirements
	history History
	opts    Options
	flight  singleflight.Group

	mu        sync.Mutex
	engine    *matching.Engine
	engineKey string
	rates     *pb.ExchangeRates
	stats     map[string]matching.ProducerStats
	statsAt   time.Time
	reqList   []*pb.Requirement
	reqsKey   string
	reqsAt    time.Time
}

// New returns a cache over src, reading the catalogue from reqs and the
// producers' history from history.
func New(src Source, reqs Requirements, history History, opts Options) *Cache {
	if opts.StatsTTL == 0 {
		opts.StatsTTL = DefaultStatsTTL
	}
	if opts.RequirementsTTL == 0 {
		opts.RequirementsTTL = DefaultRequirementsTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache{src: src, reqs: reqs, history: history, opts: opts}
}

// ExchangeRates is the source's current rate table.
func (c *Cache) ExchangeRates() *pb.ExchangeRates { return c.src.ExchangeRates() }

// Engine returns an engine over the current catalogue, requirements, rates
// and producer counts, building a new one only when one of them changed.
func (c *Cache) Engine(ctx context.Context) (*matching.Engine, error) {
	needReqs, needStats := c.stale()
	if needReqs {
		if err := c.refreshRequirements(ctx); err != nil {
			return nil, err
		}
	}
	if needStats {
		if err := c.refreshStats(ctx); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	rates := c.src.ExchangeRates()
	if c.engine == nil || c.engineKey != c.reqsKey || c.rates != rates {
		stats := c.stats
		c.engine = matching.New(c.src, matching.Options{
			Weights:      c.opts.Weights,
			Requirements: c.reqList,
			Rates:        rates,
			Stats:        func(p string) matching.ProducerStats { return stats[p] },
			Now:          c.opts.Now,
		})
		c.engineKey, c.rates = c.reqsKey, rates
	}
	return c.engine, nil
}

// stale reports which of the copies are older than their TTL.
func (c *Cache) stale() (reqs, stats bool) {
	now := c.opts.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	reqs = c.reqsAt.IsZero() || now.Sub(c.reqsAt) > c.opts.RequirementsTTL
	stats = c.statsAt.IsZero() || now.Sub(c.statsAt) > c.opts.StatsTTL
	return reqs, stats
}

// refreshTimeout bounds a shared refresh, which runs detached from the
// request that started it.
const refreshTimeout = 10 * time.Second

// refreshRequirements reads the catalogue (one reader at a time) and keys
// it by every requirement's name and etag, so that an unchanged catalogue
// keeps its engine.
func (c *Cache) refreshRequirements(ctx context.Context) error {
	_, err, _ := c.flight.Do("requirements", func() (any, error) {
		// A caller that found the copy stale while another read was
		// under way arrives after it: the copy is fresh now.
		if stale, _ := c.stale(); !stale {
			return nil, nil
		}
		// The read serves every caller waiting on it: one caller
		// hanging up must not fail the others.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		reqs, err := c.reqs.AllRequirements(ctx)
		if err != nil {
			return nil, err
		}
		var key strings.Builder
		for _, r := range reqs {
			key.WriteString(r.GetName() + "@" + r.GetEtag() + ";")
		}
		c.mu.Lock()
		c.reqList, c.reqsKey, c.reqsAt = reqs, key.String(), c.opts.Now()
		c.mu.Unlock()
		return nil, nil
	})
	return err
}

// refreshStats recounts the producers' history; new counts need a new
// engine.
func (c *Cache) refreshStats(ctx context.Context) error {
	_, err, _ := c.flight.Do("stats", func() (any, error) {
		if _, stale := c.stale(); !stale {
			return nil, nil
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		stats, err := ProducerStats(ctx, c.history)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.stats, c.statsAt, c.engine = stats, c.opts.Now(), nil
		c.mu.Unlock()
		return nil, nil
	})
	return err
}

// ProducerStats counts every producer's proposals, answers and deals.
func ProducerStats(ctx context.Context, history History) (map[string]matching.ProducerStats, error) {
	stats := map[string]matching.ProducerStats{}
	err := history.AllMatches(ctx, func(m *pb.Match) error {
		for _, mem := range m.GetMembers() {
			st := stats[mem.GetProducer()]
			st.Proposals++
			if mem.GetAnswer() == pb.Answer_ACCEPTED || mem.GetAnswer() == pb.Answer_DECLINED {
				st.Answered++
			}
			if m.GetState() == pb.Match_CLOSED_DEAL {
				st.Deals++
			}
			stats[mem.GetProducer()] = st
		}
		return nil
	})
	return stats, err
}
