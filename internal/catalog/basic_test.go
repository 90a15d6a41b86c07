package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// TestBasicViewHits pins that hits decoded for the BASIC view are the FULL
// hits with the fields BASIC leaves out cleared (as grpcapi clears them).
func TestBasicViewHits(t *testing.T) {
	ds := synth.Generate(1, 30, 300, testNow)
	x := New(DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		// As the store hands them out.
		l.Etag, l.CreateTime, l.UpdateTime = `"1"`, timestamppb.New(testNow), timestamppb.New(testNow)
		x.PutListing(l)
	}
	for _, q := range []string{"djembe", "koi", ""} {
		full, err := x.Search(&pb.SearchListingsRequest{Query: q, PageSize: 50}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		basic, err := x.Search(&pb.SearchListingsRequest{Query: q, PageSize: 50, View: pb.ListingView_BASIC}, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.GetHits()) == 0 {
			t.Fatalf("%q: no hits", q)
		}
		cut := 0
		for _, h := range full.GetHits() {
			l := h.GetListing()
			if l.GetDescription() != "" || len(l.GetAttributes()) > 0 || len(l.GetImageUris()) > 1 || l.GetEtag() != "" {
				cut++
			}
			l.Description, l.Attributes, l.CreateTime, l.UpdateTime, l.Etag = "", nil, nil, nil, ""
			if len(l.ImageUris) > 1 {
				l.ImageUris = l.ImageUris[:1]
			}
		}
		if cut == 0 {
			t.Fatalf("%q: no hit has a field BASIC leaves out; the test shows nothing", q)
		}
		if diff := cmp.Diff(full, basic, protocmp.Transform()); diff != "" {
			t.Errorf("%q: BASIC hits differ from cleared FULL hits (-full +basic):\n%s", q, diff)
		}
	}
}
