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
