package matching

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestRecommendKoi: for Mina Kanigoro's Kohaku listing, the open koi
// requests it can serve (Japan and the US, the producer holding the health
// certificate and CKIB), and not the closed Singapore request, nor copies
// of the Japanese one that are expired, or open but past their expire_time.
func TestRecommendKoi(t *testing.T) {
	d := newDemo(t)
	p := d.producers[minaKanigoro]
	kohaku := d.listings[minaKanigoro+"/listings/kohaku-25-35cm"]
	requests := slices.Clone(d.ds.BuyingRequests)
	lapsed := proto.Clone(d.request(t, japanKoiRequest)).(*pb.BuyingRequest)
	lapsed.Name += "-lapsed"
	lapsed.ExpireTime = timestamppb.New(fixedNow.Add(-time.Hour)) // still OPEN, but past its time
	expired := proto.Clone(d.request(t, japanKoiRequest)).(*pb.BuyingRequest)
	expired.Name += "-expired"
	expired.State = pb.BuyingRequest_EXPIRED
	requests = append(requests, lapsed, expired)

	got := d.engine.Recommend(p, []*pb.Listing{kohaku}, requests, d.buyers, 0)
	var names []string
	for _, rm := range got {
		names = append(names, rm.GetBuyingRequest().GetName())
		if rm.GetListing() != kohaku.GetName() {
			t.Errorf("%s: listing %s, want %s", rm.GetBuyingRequest().GetName(), rm.GetListing(), kohaku.GetName())
		}
		if rm.GetBuyerDisplayName() == "" || rm.GetBuyerCountryCode() == "" || rm.GetBuyerVerificationState() == pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED {
			t.Errorf("%s: buyer fields missing: %v", rm.GetBuyingRequest().GetName(), rm)
		}
		if len(rm.GetCriteria()) != numCriteria {
			t.Errorf("%s: %d criteria", rm.GetBuyingRequest().GetName(), len(rm.GetCriteria()))
		}
	}
	slices.Sort(names)
	want := []string{usKoiRequest, japanShowaOgon, japanKoiRequest}
	slices.Sort(want)
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("recommended requests (-want +got):\n%s", diff)
	}
	if slices.Contains(names, singaporeTosai) {
		t.Error("the closed Singapore request was recommended")
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].GetScore() < got[i].GetScore() {
			t.Errorf("not sorted by score at %d", i)
		}
	}
}

// TestRecommendAgreesWithMatch: the score and breakdown of a recommended
// request are those Match gives the same listing, and with all of the
// producer's listings each request comes once, with the best listing.
func TestRecommendAgreesWithMatch(t *testing.T) {
	d := newDemo(t)
	p := d.producers[wlingiNishikigoi]
	var own []*pb.Listing
	for _, l := range d.ds.Listings {
		if parentName(l.GetName()) == p.GetName() {
			own = append(own, l)
		}
	}
	got := d.engine.Recommend(p, own, d.ds.BuyingRequests, d.buyers, 0)
	if len(got) == 0 {
		t.Fatal("no recommendations for Wlingi Nishikigoi")
	}
	seen := map[string]bool{}
	for _, rm := range got {
		r := rm.GetBuyingRequest()
		if seen[r.GetName()] {
			t.Errorf("%s recommended twice", r.GetName())
		}
		seen[r.GetName()] = true
		resp := d.engine.Match(r, d.buyers[buyerOf(r.GetName())], MaxLimit)
		best := -1.0
		for _, m := range resp.GetMatches() {
			if m.GetProducer().GetName() != p.GetName() {
				continue
			}
			best = math.Max(best, m.GetScore())
			if m.GetListing().GetName() == rm.GetListing() {
				if diff := cmp.Diff(m.GetCriteria(), rm.GetCriteria(), cmpProto); diff != "" {
					t.Errorf("%s: breakdown differs from Match (-match +recommend):\n%s", r.GetName(), diff)
				}
			}
		}
		if rm.GetScore() != best {
			t.Errorf("%s: recommended score %v, best of Match %v", r.GetName(), rm.GetScore(), best)
		}
	}
}

// TestRecommendEdgeCases: no producer, no active listing, another
// producer's listing, a request without product.
func TestRecommendEdgeCases(t *testing.T) {
	p := maker("p")
	other := maker("other")
	e := newEngine(t, []*pb.Producer{p}, nil)
	req := usRequest()
	req.State = pb.BuyingRequest_OPEN
	if got := e.Recommend(nil, []*pb.Listing{djembe(p, "d")}, []*pb.BuyingRequest{req}, nil, 0); got != nil {
		t.Errorf("nil producer: %v", got)
	}
	paused := djembe(p, "d", func(l *pb.Listing) { l.State = pb.Listing_PAUSED })
	if got := e.Recommend(p, []*pb.Listing{paused}, []*pb.BuyingRequest{req}, nil, 0); len(got) != 0 {
		t.Errorf("paused listing: %v", got)
	}
	if got := e.Recommend(p, []*pb.Listing{djembe(other, "d")}, []*pb.BuyingRequest{req}, nil, 0); len(got) != 0 {
		t.Errorf("another producer's listing: %v", got)
	}
	noProduct := usRequest(func(r *pb.BuyingRequest) { r.Category, r.HsPrefix = pb.Category_CATEGORY_UNSPECIFIED, "" })
	if got := e.Recommend(p, []*pb.Listing{djembe(p, "d")}, []*pb.BuyingRequest{noProduct}, nil, 0); len(got) != 0 {
		t.Errorf("request without product: %v", got)
	}
	if got := e.Recommend(p, []*pb.Listing{djembe(p, "d")}, []*pb.BuyingRequest{req}, nil, 0); len(got) != 1 {
		t.Errorf("fitting request: %v, want it", got)
	}
}
