package server

import (
	"bytes"
	"sync"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
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
}

// jsonCacheEntries bounds each cache: at most this many listings and as
// many producer summaries (about 2 KB each with its key).
const jsonCacheEntries = 8192

func newSearchJSON(j *runtime.JSONPb) *searchJSON {
	m := &searchJSON{JSONPb: j, listings: newJSONCache(jsonCacheEntries), producers: newJSONCache(jsonCacheEntries)}
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
		if b, ok := m.marshalSearch(resp); ok {
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
			name  string
			msg   proto.Message
			cache *jsonCache
			set   bool
		}{
			{`"listing":`, h.GetListing(), m.listings, h.Listing != nil},
			{`"producer":`, h.GetProducer(), m.producers, h.Producer != nil},
		} {
			if !part.set {
				continue
			}
			var js []byte
			if js, key, err = part.cache.json(o, part.msg, key); err != nil {
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

// jsonCache keeps the protojson text of messages by their content.
type jsonCache struct {
	mu  sync.RWMutex
	m   map[string][]byte
	max int
}

func newJSONCache(max int) *jsonCache { return &jsonCache{m: make(map[string][]byte), max: max} }

// json returns msg's protojson text; buf is scratch space for the key,
// returned for reuse. The returned text must not be changed.
func (c *jsonCache) json(o protojson.MarshalOptions, msg proto.Message, buf []byte) ([]byte, []byte, error) {
	key, err := proto.MarshalOptions{Deterministic: true}.MarshalAppend(buf[:0], msg)
	if err != nil {
		return nil, buf, err
	}
	c.mu.RLock()
	js, ok := c.m[string(key)]
	c.mu.RUnlock()
	if ok {
		return js, key, nil
	}
	if js, err = o.Marshal(msg); err != nil {
		return nil, key, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		// Drop an arbitrary entry (map order): a bound on memory, not a
		// recency policy; the texts wanted often come back at once.
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[string(key)] = js
	c.mu.Unlock()
	return js, key, nil
}
