package server

import (
	"bytes"
	"sync"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// searchJSON is the gateway's JSON marshaler. It writes every message as
// runtime.JSONPb does (protojson), byte for byte, and search responses
// faster: a search page's JSON is mostly its hits' listings and producer
// summaries, which change rarely, yet protojson encoded them afresh for
// every response (under REST load it took as much CPU as the search). So
// the JSON of each listing and producer summary is kept in a bounded cache
// keyed by the message's content (its deterministic binary encoding, which
// is several times cheaper to produce than the JSON), and spliced into the
// response between the parts protojson still writes: each hit's score,
// reasons and converted prices, and the page's facets and tokens.
//
// Keyed by content, a cached text can never be stale: a changed listing
// is a new key, whatever changed it (an update, a policy redaction, a view).
// The catalogue's listings are keyed by identity instead (SearchAnswers'
// ListingsShared): a version of a listing is one message that nobody
// changes, and a write makes a new one.
// TestSearchJSONIsProtojson compares the output with runtime.JSONPb's for
// many responses.
type searchJSON struct {
	*runtime.JSONPb
	// sep is what protojson writes between two members: "," or, in some
	// builds, ", " (it adds the space at random per binary so that nobody
	// relies on its exact output; we match whichever this binary writes).
	sep                 []byte
	listings, producers *jsonCache
	// fast is false when the options or the messages are not those the
	// splicing was written for; every message then goes to JSONPb.
	fast bool
	// answers, when set, keeps the whole JSON of the catalogue's kept
	// answers (see SearchAnswers).
	answers SearchAnswers
}

// SearchAnswers finds the catalogue's kept search answers
// (catalog.Index.AnswerMemo).
type SearchAnswers interface {
	// Memo returns the slot for the encoding of r when r is a kept
	// answer or a shallow copy of one, else nil.
	Memo(r *pb.SearchListingsResponse) JSONMemo
	// ListingsShared reports that the listings of search hits are shared
	// messages that never change (catalog's hitListings), so that the
	// JSON cache may key them by identity rather than by content.
	ListingsShared() bool
}

// JSONMemo keeps one encoding of an answer that never changes.
type JSONMemo interface {
	Load() []byte
	Store([]byte)
}

// withAnswers makes m keep the JSON of kept answers; nil changes nothing.
func (m *searchJSON) withAnswers(a SearchAnswers) *searchJSON {
	m.answers = a
	return m
}

// sharedSearchAnswer reports the responses the in-process channel may
// hand on without a deep copy: search answers, which the catalogue never
// changes once made (grpcapi.Searcher).
func sharedSearchAnswer(m proto.Message) bool {
	_, ok := m.(*pb.SearchListingsResponse)
	return ok
}

// DefaultSearchJSONCacheBytes is the default budget of the two caches
// together, keys and texts counted.
const DefaultSearchJSONCacheBytes = 32 << 20

// newSearchJSON wraps j with caches of cacheBytes in all (0: the default):
// three quarters for listings, a quarter for producer summaries, which are
// fewer (one per producer) and shorter. Their lookups are counted in
// metrics, when given.
func newSearchJSON(j *runtime.JSONPb, cacheBytes int64, metrics *jsonCacheMetrics) *searchJSON {
	if cacheBytes <= 0 {
		cacheBytes = DefaultSearchJSONCacheBytes
	}
	if metrics == nil {
		metrics = newJSONCacheMetrics()
	}
	m := &searchJSON{
		JSONPb:    j,
		listings:  newJSONCache(cacheBytes-cacheBytes/4, metrics.hits.WithLabelValues("listing"), metrics.misses.WithLabelValues("listing")),
		producers: newJSONCache(cacheBytes/4, metrics.hits.WithLabelValues("producer"), metrics.misses.WithLabelValues("producer")),
	}
	probe, err := j.MarshalOptions.Marshal(&pb.FacetValue{Value: "a", Count: 1})
	if err != nil {
		return m
	}
	m.sep = probe[len(`{"value":"a"`):bytes.Index(probe, []byte(`"count"`))]
	o := j.MarshalOptions
	hit := (&pb.SearchHit{}).ProtoReflect().Descriptor().Fields()
	resp := (&pb.SearchListingsResponse{}).ProtoReflect().Descriptor().Fields()
	m.fast = !o.Multiline && o.Indent == "" && !o.UseProtoNames && !o.EmitUnpopulated && !o.EmitDefaultValues && !o.UseEnumNumbers &&
		// protojson writes fields in declaration order: the spliced ones
		// must come first.
		resp.Get(0).Number() == hitsField && resp.Get(0).JSONName() == "hits" &&
		hit.Get(0).Number() == listingField && hit.Get(0).JSONName() == "listing" &&
		hit.Get(1).Number() == producerField && hit.Get(1).JSONName() == "producer" &&
		(string(m.sep) == "," || string(m.sep) == ", ")
	return m
}

const (
	hitsField     = 1 // SearchListingsResponse.hits
	listingField  = 1 // SearchHit.listing
	producerField = 2 // SearchHit.producer
)

// Marshal implements runtime.Marshaler.
func (m *searchJSON) Marshal(v any) ([]byte, error) {
	if resp, ok := v.(*pb.SearchListingsResponse); ok && m.fast {
		var memo JSONMemo
		if m.answers != nil {
			if memo = m.answers.Memo(resp); memo != nil {
				if b := memo.Load(); b != nil {
					return b, nil
				}
			}
		}
		if b, ok := m.marshalSearch(resp); ok {
			if memo != nil {
				memo.Store(b)
			}
			return b, nil
		}
	}
	return m.JSONPb.Marshal(v)
}

// marshalSearch writes resp as protojson would; false if some part cannot
// be written (protojson's error then comes from JSONPb).
func (m *searchJSON) marshalSearch(resp *pb.SearchListingsResponse) ([]byte, bool) {
	o := m.MarshalOptions
	rest, err := o.Marshal(without(resp, hitsField))
	if err != nil {
		return nil, false
	}
	if len(resp.GetHits()) == 0 {
		return rest, true
	}
	out := make([]byte, 0, 2048*len(resp.GetHits())+len(rest))
	out = append(out, `{"hits":[`...)
	var key []byte
	// The catalogue's hits share never-changing listings: their JSON is
	// kept by identity.
	shared := m.answers != nil && m.answers.ListingsShared()
	for i, h := range resp.GetHits() {
		if i > 0 {
			out = append(out, m.sep...)
		}
		if h == nil {
			// A nil element of a list is written as an empty message.
			out = append(out, "{}"...)
			continue
		}
		hrest, err := o.Marshal(without(h, listingField, producerField))
		if err != nil {
			return nil, false
		}
		out = append(out, '{')
		first := true
		for _, part := range []struct {
			name       string
			msg        proto.Message
			cache      *jsonCache
			set        bool
			byIdentity bool
		}{
			{`"listing":`, h.GetListing(), m.listings, h.Listing != nil, shared},
			{`"producer":`, h.GetProducer(), m.producers, h.Producer != nil, false},
		} {
			if !part.set {
				continue
			}
			var js []byte
			if js, key, err = part.cache.json(o, part.msg, key, part.byIdentity); err != nil {
				return nil, false
			}
			if !first {
				out = append(out, m.sep...)
			}
			first = false
			out = append(out, part.name...)
			out = append(out, js...)
		}
		switch {
		case len(hrest) == 2: // "{}": nothing else set
			out = append(out, '}')
		case first:
			out = append(out, hrest[1:]...)
		default:
			out = append(out, m.sep...)
			out = append(out, hrest[1:]...)
		}
	}
	out = append(out, ']')
	if len(rest) > 2 {
		out = append(out, m.sep...)
		out = append(out, rest[1:]...)
	} else {
		out = append(out, '}')
	}
	return out, true
}

// without is a shallow copy of msg without the given fields (the others
// are shared, not copied: the copy is only read, to be marshalled).
func without(msg proto.Message, skip ...protoreflect.FieldNumber) proto.Message {
	src := msg.ProtoReflect()
	dst := src.New()
	src.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		for _, n := range skip {
			if fd.Number() == n {
				return true
			}
		}
		dst.Set(fd, v)
		return true
	})
	return dst.Interface()
}

// jsonCacheMetrics count the caches' lookups, by cache.
type jsonCacheMetrics struct {
	hits, misses *prometheus.CounterVec
}

func newJSONCacheMetrics() *jsonCacheMetrics {
	return &jsonCacheMetrics{
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_search_json_cache_hits_total", Help: "REST search hits whose listing or producer JSON came from the cache, by cache.",
		}, []string{"cache"}),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_search_json_cache_misses_total", Help: "REST search hits whose listing or producer JSON was written afresh, by cache.",
		}, []string{"cache"}),
	}
}

// jsonEntryOverhead is what an entry costs besides its key and text: the
// map's slot, the slice and string headers, the queue's slot.
const jsonEntryOverhead = 96

// jsonCache keeps the protojson text of messages by their content, or by
// their identity for messages that never change (the catalogue's shared
// listings, see SearchAnswers), within a budget of bytes: when an insert
// goes over it, the oldest entries go (first in, first out; a bound on
// memory, not a recency policy: the texts wanted often come back at once).
type jsonCache struct {
	mu     sync.RWMutex
	m      map[string][]byte        // by deterministic binary encoding
	byMsg  map[proto.Message][]byte // by identity
	queue  []jsonKey                // keys in insertion order, from head on
	head   int
	bytes  int64 // of the entries held, overhead included
	budget int64

	hits, misses prometheus.Counter
}

// jsonKey is an entry's key: its content (s), or the message itself.
type jsonKey struct {
	s   string
	msg proto.Message
}

func newJSONCache(budget int64, hits, misses prometheus.Counter) *jsonCache {
	return &jsonCache{m: make(map[string][]byte), byMsg: make(map[proto.Message][]byte),
		budget: budget, hits: hits, misses: misses}
}

// entryBytes is what an entry holds: a key by identity keeps its message
// alive, counted as about the size of its text.
func entryBytes(k jsonKey, js []byte) int64 {
	if k.msg != nil {
		return int64(2*len(js) + jsonEntryOverhead)
	}
	return int64(len(k.s) + len(js) + jsonEntryOverhead)
}

// json returns msg's protojson text; buf is scratch space for the key,
// returned for reuse. With byIdentity, msg is known never to change, so its
// address is its key (no binary encoding to make); holding the message
// keeps any other from having that address while the entry lives. The
// returned text must not be changed.
func (c *jsonCache) json(o protojson.MarshalOptions, msg proto.Message, buf []byte, byIdentity bool) ([]byte, []byte, error) {
	var key []byte
	var js []byte
	var ok bool
	if byIdentity {
		c.mu.RLock()
		js, ok = c.byMsg[msg]
		c.mu.RUnlock()
	} else {
		var err error
		if key, err = (proto.MarshalOptions{Deterministic: true}).MarshalAppend(buf[:0], msg); err != nil {
			return nil, buf, err
		}
		buf = key
		c.mu.RLock()
		js, ok = c.m[string(key)]
		c.mu.RUnlock()
	}
	if ok {
		c.hits.Inc()
		return js, buf, nil
	}
	c.misses.Inc()
	js, err := o.Marshal(msg)
	if err != nil {
		return nil, buf, err
	}
	if byIdentity {
		c.put(jsonKey{msg: msg}, js)
	} else {
		c.put(jsonKey{s: string(key)}, js)
	}
	return js, buf, nil
}

func (c *jsonCache) lookup(k jsonKey) ([]byte, bool) {
	if k.msg != nil {
		js, ok := c.byMsg[k.msg]
		return js, ok
	}
	js, ok := c.m[k.s]
	return js, ok
}

// put adds an entry, then drops the oldest until the budget holds. An
// entry larger than the whole budget is not kept.
func (c *jsonCache) put(k jsonKey, js []byte) {
	size := entryBytes(k, js)
	if size > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.lookup(k); ok { // added meanwhile by another miss
		return
	}
	if k.msg != nil {
		c.byMsg[k.msg] = js
	} else {
		c.m[k.s] = js
	}
	c.queue = append(c.queue, k)
	c.bytes += size
	for c.bytes > c.budget {
		old := c.queue[c.head]
		c.queue[c.head] = jsonKey{}
		c.head++
		js, _ := c.lookup(old)
		c.bytes -= entryBytes(old, js)
		if old.msg != nil {
			delete(c.byMsg, old.msg)
		} else {
			delete(c.m, old.s)
		}
	}
	// Reuse the queue's front once half of it is spent.
	if c.head > len(c.queue)/2 {
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue, c.head = c.queue[:n], 0
	}
}
