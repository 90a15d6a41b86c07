package matching

import (
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestConcurrentCalls: one engine serves Match and Recommend from several
// goroutines at once (run with -race), and every answer equals the one
// given alone.
func TestConcurrentCalls(t *testing.T) {
	d := newDemo(t)
	type call struct {
		req  *pb.BuyingRequest
		want *pb.MatchBuyingRequestResponse
	}
	var calls []call
	for _, r := range d.ds.BuyingRequests {
		calls = append(calls, call{r, d.engine.Match(r, d.buyers[buyerOf(r.GetName())], 0)})
	}
	mina := d.producers[minaKanigoro]
	var minaListings []*pb.Listing
	for _, l := range d.ds.Listings {
		if parentName(l.GetName()) == mina.GetName() {
			minaListings = append(minaListings, l)
		}
	}
	wantRec := d.engine.Recommend(mina, minaListings, d.ds.BuyingRequests, d.buyers, 0)

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * len(calls) {
				c := calls[(i+g)%len(calls)]
				if got := d.engine.Match(c.req, d.buyers[buyerOf(c.req.GetName())], 0); !proto.Equal(got, c.want) {
					t.Errorf("%s: concurrent answer differs", c.req.GetName())
					return
				}
				if i%5 == 0 {
					got := d.engine.Recommend(mina, minaListings, d.ds.BuyingRequests, d.buyers, 0)
					if len(got) != len(wantRec) {
						t.Errorf("Recommend: %d answers, want %d", len(got), len(wantRec))
						return
					}
					for j := range got {
						if !proto.Equal(got[j], wantRec[j]) {
							t.Errorf("Recommend answer %d differs", j)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}
