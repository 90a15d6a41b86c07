package catalog

import (
	"slices"
	"sync"
)

// termCache keeps the matches of recent one-word queries, so that the
// popular ones ("djembe", "koi") skip the posting lists while the catalogue
// does not change. Entries are tied to the index version: any write makes
// them stale. The filters, facets, order and page are still computed for
// every query; only the text matching is reused.
type termCache struct {
	mu      sync.Mutex
	version uint64
	entries map[string]*termEntry
	fifo    []string
	docs    int // total matches held
}

// termEntry is one word's matches, sorted by doc slot.
type termEntry struct {
	m []termMatch
}

type termMatch struct {
	doc   int32
	score float32
	why   uint16 // matched fields (low byte) and synonym index (high byte), as in acc
}

// Bounds of the cache: a word matching most of 100,000 listings takes
// about a megabyte.
const (
	termCacheEntries = 64
	termCacheDocs    = 2_000_000
	// termCacheMin is the fewest matches worth caching: small posting
	// lists are cheap to read again.
	termCacheMin = 2000
)

// cacheMin is the fewest matches a query needs for its matches and facet
// counts to be cached: termCacheMin, or less in tests (testCacheMin).
func (x *Index) cacheMin() int {
	if x.testCacheMin > 0 {
		return x.testCacheMin
	}
	return termCacheMin
}

func (c *termCache) get(key string, version uint64) *termEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil
	}
	return c.entries[key]
}

func (c *termCache) put(key string, version uint64, e *termEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		clear(c.entries)
		c.fifo, c.docs, c.version = c.fifo[:0], 0, version
	}
	if c.entries == nil {
		c.entries = map[string]*termEntry{}
	}
	if _, ok := c.entries[key]; ok {
		return
	}
	for len(c.fifo) > 0 && (len(c.fifo) >= termCacheEntries || c.docs+len(e.m) > termCacheDocs) {
		old := c.fifo[0]
		c.fifo = c.fifo[1:]
		c.docs -= len(c.entries[old].m)
		delete(c.entries, old)
	}
	c.entries[key] = e
	c.fifo = append(c.fifo, key)
	c.docs += len(e.m)
}

// find returns the match of doc, which must be in e.
func (e *termEntry) find(doc int32) termMatch {
	i, ok := slices.BinarySearchFunc(e.m, doc, func(m termMatch, d int32) int {
		switch {
		case m.doc < d:
			return -1
		case m.doc > d:
			return 1
		}
		return 0
	})
	if !ok {
		return termMatch{}
	}
	return e.m[i]
}

// facetCache keeps the facet counts of broad queries without filters for
// the current index version and day (certificates valid today), at most
// facetCacheEntries of them.
type facetCache struct {
	mu      sync.Mutex
	version uint64
	day     int32
	entries map[string]*[len(facetFields)][]facetCount
}

const facetCacheEntries = 256

func (c *facetCache) get(key string, version uint64, day int32) *[len(facetFields)][]facetCount {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.day != day {
		return nil
	}
	return c.entries[key]
}

func (c *facetCache) put(key string, version uint64, day int32, counts *[len(facetFields)][]facetCount) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.day != day || c.entries == nil {
		c.entries = map[string]*[len(facetFields)][]facetCount{}
		c.version, c.day = version, day
	}
	if len(c.entries) >= facetCacheEntries {
		// Rarely reached (a few hundred broad words between two writes);
		// start again rather than track use.
		clear(c.entries)
	}
	c.entries[key] = counts
}
