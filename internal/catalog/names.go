package catalog

import (
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Names returns the names of the producers and listings the index holds, so
// that a full reload can remove what the database no longer has.
func (x *Index) Names() (producers, listings []string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for name, slot := range x.producerSlots {
		if pr := x.producers[slot]; pr != nil && pr.present {
			producers = append(producers, name)
		}
	}
	for name := range x.listings {
		listings = append(listings, name)
	}
	return producers, listings
}

// Listing returns the listing of that name as last put, in any state, or
// nil when the index does not hold it. The result is the caller's own.
func (x *Index) Listing(name string) *pb.Listing {
	x.mu.RLock()
	rec, ok := x.listings[name]
	var data []byte
	if ok {
		data = rec.data // never changed in place: decoded outside the lock
	}
	x.mu.RUnlock()
	if !ok {
		return nil
	}
	l := &pb.Listing{}
	if err := proto.Unmarshal(data, l); err != nil {
		return nil
	}
	return l
}
