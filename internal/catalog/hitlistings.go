package catalog

import (
	"sync"
	"unsafe"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// hitListingsKept bounds hitListings: a few thousand listings are the
// first pages of what buyers search for; at 1-2 KB decoded each, a few
// megabytes.
const hitListingsKept = 4096

// hitListings keeps the decoded listings of recent hits, FULL and BASIC,
// so that the hits of every response showing a listing share one message
// instead of each decoding its own (a decode was a tenth of the CPU of a
// REST search computed afresh, and most of its garbage). Like whole kept
// answers (results.go), the messages are read-only: nobody may change a
// search answer.
//
// An entry is for one version of a listing: it holds the first byte of the
// stored wire form it was decoded from, which a write replaces (PutListing
// marshals new bytes), and which the entry keeps alive, so that no later
// version can be at the same address while the entry exists.
type hitListings struct {
	mu  sync.Mutex
	lru *simplelru.LRU[*listingRec, *decodedListing]
}

type decodedListing struct {
	data        *byte
	full, basic *pb.Listing
}

func newHitListings() *hitListings {
	lru, err := simplelru.NewLRU[*listingRec, *decodedListing](hitListingsKept, nil)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &hitListings{lru: lru}
}

// listing returns rec's current listing as a hit shows it (the BASIC view
// when basic is set), decoding it on first use; wire is scratch space for
// the BASIC form. Called under the index's read lock, which keeps rec.data
// from changing meanwhile.
func (c *hitListings) listing(rec *listingRec, basic bool, wire *[]byte) *pb.Listing {
	data := rec.data
	first := unsafe.SliceData(data)
	c.mu.Lock()
	e, ok := c.lru.Get(rec)
	if ok && e.data == first {
		if l := e.view(basic); l != nil {
			c.mu.Unlock()
			return l
		}
	}
	c.mu.Unlock()

	l := &pb.Listing{}
	if basic {
		*wire = basicWire((*wire)[:0], data)
		data = *wire
	}
	// The bytes were marshalled from a valid message by PutListing.
	_ = proto.Unmarshal(data, l)

	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok = c.lru.Get(rec)
	if !ok || e.data != first {
		e = &decodedListing{data: first}
		c.lru.Add(rec, e)
	}
	// Another search may have decoded it meanwhile: keep the first, so
	// that every hit shares one message.
	if kept := e.view(basic); kept != nil {
		return kept
	}
	if basic {
		e.basic = l
	} else {
		e.full = l
	}
	return l
}

func (e *decodedListing) view(basic bool) *pb.Listing {
	if basic {
		return e.basic
	}
	return e.full
}
