package catalog

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// allHits pages through a search and returns every hit.
func allHits(t *testing.T, x *Index, req *pb.SearchListingsRequest) ([]*pb.SearchHit, *pb.SearchListingsResponse) {
	t.Helper()
	req = proto.Clone(req).(*pb.SearchListingsRequest)
	var hits []*pb.SearchHit
	var first *pb.SearchListingsResponse
	for range 1000 {
		resp := mustSearch(t, x, req)
		if first == nil {
			first = resp
		}
		hits = append(hits, resp.GetHits()...)
		if resp.GetNextPageToken() == "" {
			return hits, first
		}
		req.PageToken = resp.GetNextPageToken()
	}
	t.Fatal("paging does not end")
	return nil, nil
}

func shipsTo(l *pb.Listing, c string) bool { return slices.Contains(l.GetShipToCountryCodes(), c) }

func TestKoiInAnyLanguage(t *testing.T) {
	x, _ := demoIndex(t)
	for _, q := range []string{"nishikigoi", "錦鯉", "koi", "Nishikigoi", "锦鲤", "ikan koi", "錦鯉魚", "锦鲤鱼", "にしきごい"} {
		t.Run(q, func(t *testing.T) {
			hits, resp := allHits(t, x, &pb.SearchListingsRequest{Query: q})
			if len(hits) < 8 {
				t.Fatalf("%d hits; want the demo's koi listings", len(hits))
			}
			for i, h := range hits {
				if h.GetListing().GetCategory() != pb.Category_ORNAMENTAL_FISH {
					t.Errorf("hit %d %s is %s, not koi", i, h.GetListing().GetName(), h.GetListing().GetCategory())
				}
			}
			// Traditional characters are shown folded to simplified ones.
			if !slices.Contains(resp.GetInterpretedTerms(), "koi") || !slices.Contains(resp.GetInterpretedTerms(), "锦鲤") {
				t.Errorf("interpreted terms %q lack the expansion", resp.GetInterpretedTerms())
			}

			jp := mustSearch(t, x, &pb.SearchListingsRequest{Query: q, ShipToCountryCode: "JP"})
			if len(jp.GetHits()) == 0 {
				t.Fatal("no koi for Japan")
			}
			top := jp.GetHits()[0]
			if top.GetListing().GetCategory() != pb.Category_ORNAMENTAL_FISH || !shipsTo(top.GetListing(), "JP") {
				t.Errorf("top hit for Japan %s: category %s, ships to %v", top.GetListing().GetName(), top.GetListing().GetCategory(), top.GetListing().GetShipToCountryCodes())
			}
			for _, h := range jp.GetHits() {
				if !shipsTo(h.GetListing(), "JP") {
					t.Errorf("%s does not ship to JP", h.GetListing().GetName())
				}
				if !slices.Contains(h.GetMatchReasons(), "ships to JP") {
					t.Errorf("%s: reasons %q lack the country", h.GetListing().GetName(), h.GetMatchReasons())
				}
			}
		})
	}
}

// djembeMakers are the demo producers that make or ship djembe.
// (and Kota Blitar, whose Kampung Kendang Sentul is a djembe village too).
var djembeDistricts = []string{"Nglegok", "Garum", "Kanigoro", "Kota Blitar"}

func TestDjembeInAnyLanguage(t *testing.T) {
	x, _ := demoIndex(t)
	want := mustSearch(t, x, &pb.SearchListingsRequest{Query: "djembe", PageSize: 100})
	for _, q := range []string{"非洲鼓", "ジャンベ", "jimbe", "drum", "kendang jimbe", "DJÉMBÉ", "Djembé", "젬베", "手鼓", "african drum",
		"金貝鼓", "金贝鼓", "傑貝鼓", "印尼非洲鼓", "hand drum"} {
		t.Run(q, func(t *testing.T) {
			resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: q, PageSize: 100})
			if resp.GetTotalSize() < 15 {
				t.Fatalf("%d hits; want the demo's djembe listings", resp.GetTotalSize())
			}
			for i, h := range resp.GetHits() {
				l := h.GetListing()
				if !strings.Contains(strings.ToLower(l.GetTitle()+l.GetDescription()+h.GetProducer().GetDisplayName()), "djembe") &&
					!strings.Contains(strings.ToLower(l.GetTitle()+h.GetProducer().GetDisplayName()), "jimbe") {
					t.Errorf("hit %d %q is not a djembe", i, l.GetTitle())
				}
				if !slices.Contains(djembeDistricts, h.GetProducer().GetDistrict()) {
					t.Errorf("hit %d from %s; djembe makers are in Nglegok, Garum, Kanigoro and Kota Blitar", i, h.GetProducer().GetDistrict())
				}
				if len(h.GetMatchReasons()) == 0 {
					t.Errorf("hit %d has no match reason", i)
				}
			}
			if q == "DJÉMBÉ" || q == "Djembé" {
				if !slices.Equal(hitNames(resp), hitNames(want)) {
					t.Errorf("%q found other listings than djembe", q)
				}
			}
		})
	}
	cjk := mustSearch(t, x, &pb.SearchListingsRequest{Query: "非洲鼓"})
	if r := cjk.GetHits()[0].GetMatchReasons(); len(r) == 0 || !strings.Contains(r[0], `"非洲鼓" is a synonym of djembe`) {
		t.Errorf("reasons %q do not explain the synonym", r)
	}
}

func TestSambalAndPlants(t *testing.T) {
	x, _ := demoIndex(t)
	for _, tc := range []struct {
		query    string
		category pb.Category
		mention  string
		min      int
	}{
		{"peanut sauce", pb.Category_FOOD, "pecel", 5},
		{"sambal", pb.Category_FOOD, "pecel", 5},
		{"pecel", pb.Category_FOOD, "pecel", 5},
		{"chili sauce", pb.Category_FOOD, "pecel", 5},
		{"沙爹醬", pb.Category_FOOD, "pecel", 5},
		{"沙嗲酱", pb.Category_FOOD, "pecel", 5},
		{"印尼花生酱", pb.Category_FOOD, "pecel", 5},
		{"プチェル", pb.Category_FOOD, "pecel", 5},
		{"ペチェル", pb.Category_FOOD, "pecel", 5},
		{"ペセル", pb.Category_FOOD, "pecel", 5},
		{"sambel kacang", pb.Category_FOOD, "pecel", 5},
		{"pecel sauce", pb.Category_FOOD, "pecel", 5},
		{"绿植", pb.Category_ORNAMENTAL_PLANT, "", 6},
		{"綠植", pb.Category_ORNAMENTAL_PLANT, "", 6},
		{"萬年青", pb.Category_ORNAMENTAL_PLANT, "aglaonema", 1},
		{"火鶴花", pb.Category_ORNAMENTAL_PLANT, "anthurium", 2},
		{"gelombang cinta", pb.Category_ORNAMENTAL_PLANT, "anthurium", 2},
		{"tissue culture", pb.Category_ORNAMENTAL_PLANT, "tissue-culture", 1},
		{"rooted cutting", pb.Category_ORNAMENTAL_PLANT, "cutting", 1},
		{"variegated monstera", pb.Category_ORNAMENTAL_PLANT, "variegat", 1},
		{"monstera", pb.Category_ORNAMENTAL_PLANT, "monstera", 3},
		{"モンステラ", pb.Category_ORNAMENTAL_PLANT, "monstera", 3},
		{"龜背竹", pb.Category_ORNAMENTAL_PLANT, "monstera", 3},
		{"philodendron", pb.Category_ORNAMENTAL_PLANT, "philodendron", 1},
		{"aglaonema", pb.Category_ORNAMENTAL_PLANT, "aglaonema", 1},
		{"anthurium", pb.Category_ORNAMENTAL_PLANT, "anthurium", 2},
		{"houseplant", pb.Category_ORNAMENTAL_PLANT, "", 6},
	} {
		t.Run(tc.query, func(t *testing.T) {
			hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: tc.query})
			if len(hits) < tc.min {
				t.Fatalf("%d hits; want at least %d", len(hits), tc.min)
			}
			for _, h := range hits {
				l := h.GetListing()
				if l.GetCategory() != tc.category {
					t.Errorf("%s is %s", l.GetName(), l.GetCategory())
				}
				text := strings.ToLower(l.GetTitle() + " " + fmt.Sprint(l.GetAttributes()))
				if tc.mention != "" && !strings.Contains(text, tc.mention) {
					t.Errorf("%q does not mention %s", l.GetTitle(), tc.mention)
				}
			}
		})
	}
	// "Sri rejeki" is the Indonesian name of Aglaonema and also a sambal
	// maker's name: the plant is found through the concept, the sambal only
	// through the literal name, never as an aglaonema.
	hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: "sri rejeki"})
	var plant bool
	for _, h := range hits {
		switch h.GetListing().GetCategory() {
		case pb.Category_ORNAMENTAL_PLANT:
			plant = plant || strings.Contains(strings.ToLower(h.GetListing().GetTitle()), "aglaonema")
		case pb.Category_FOOD:
			if r := strings.Join(h.GetMatchReasons(), "; "); strings.Contains(r, "synonym") || !strings.Contains(r, "producer name") {
				t.Errorf("sambal %s found as %q", h.GetListing().GetName(), r)
			}
		}
	}
	if !plant {
		t.Error(`"sri rejeki" does not find the aglaonema`)
	}
	// Plant growers: every monstera hit is from a grower.
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera"})
	if got := resp.GetHits()[0].GetProducer().GetName(); got != "producers/kebun-aroid-satreyan" {
		t.Errorf("top monstera grower %s", got)
	}
}

func TestOnlyActiveListings(t *testing.T) {
	x, ds := demoIndex(t)
	active := 0
	for _, l := range ds.Listings {
		if l.GetState() == pb.Listing_ACTIVE {
			active++
		}
	}
	hits, resp := allHits(t, x, &pb.SearchListingsRequest{PageSize: 9})
	if int(resp.GetTotalSize()) != active || len(hits) != active {
		t.Errorf("browsing found %d (total %d); want the %d active listings", len(hits), resp.GetTotalSize(), active)
	}
	for _, h := range hits {
		if h.GetListing().GetState() != pb.Listing_ACTIVE {
			t.Errorf("%s is %s", h.GetListing().GetName(), h.GetListing().GetState())
		}
	}
	if x.Len() != len(ds.Listings) {
		t.Errorf("Len = %d; want all %d listings held", x.Len(), len(ds.Listings))
	}
	// The demo's paused and draft listings are not found by their words.
	for _, name := range []string{"producers/kendang-jaya-nglegok/listings/djembe-30cm-mahogany", "producers/jimbe-penataran/listings/djembe-nesting-set-3"} {
		hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: "djembe"})
		for _, h := range hits {
			if h.GetListing().GetName() == name {
				t.Errorf("%s (not active) was found", name)
			}
		}
	}
}

func findListing(t *testing.T, x *Index, query, name string) bool {
	t.Helper()
	hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: query})
	for _, h := range hits {
		if h.GetListing().GetName() == name {
			return true
		}
	}
	return false
}

func TestWritesShowAtOnce(t *testing.T) {
	x, ds := demoIndex(t)
	var basket *pb.Listing
	for _, l := range ds.Listings {
		if l.GetName() == "producers/karya-bambu-wonodadi/listings/bamboo-basket-set" {
			basket = proto.Clone(l).(*pb.Listing)
		}
	}
	name := basket.GetName()
	if !findListing(t, x, "basket", name) {
		t.Fatal("the basket set is not found")
	}

	paused := proto.Clone(basket).(*pb.Listing)
	paused.State = pb.Listing_PAUSED
	x.PutListing(paused)
	if findListing(t, x, "basket", name) {
		t.Error("a paused listing was found")
	}
	x.PutListing(basket)
	if !findListing(t, x, "basket", name) {
		t.Error("the listing was not found after it was published again")
	}

	renamed := proto.Clone(basket).(*pb.Listing)
	renamed.Title = "Rattan floor mat, hand-woven"
	renamed.Attributes = map[string]string{"material": "rattan"}
	x.PutListing(renamed)
	if !findListing(t, x, "rattan", name) || !findListing(t, x, "mat", name) {
		t.Error("not found under its new title")
	}
	if findListing(t, x, "basket", name) || findListing(t, x, "storage", name) {
		t.Error("still found under its old title")
	}
	// The caller's message is the caller's: changing it does not change
	// the index.
	renamed.Title = "Changed after PutListing"
	if findListing(t, x, "changed", name) {
		t.Error("the index shares the caller's message")
	}

	x.DeleteListing(name)
	if findListing(t, x, "rattan", name) {
		t.Error("a deleted listing was found")
	}
	if x.Len() != len(ds.Listings)-1 {
		t.Errorf("Len = %d after a delete; want %d", x.Len(), len(ds.Listings)-1)
	}

	// Deleting a producer removes its listings.
	before := mustSearch(t, x, &pb.SearchListingsRequest{Query: "koi"}).GetTotalSize()
	x.DeleteProducer("producers/wlingi-nishikigoi")
	hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: "koi"})
	for _, h := range hits {
		if h.GetProducer().GetName() == "producers/wlingi-nishikigoi" {
			t.Errorf("%s of a deleted producer was found", h.GetListing().GetName())
		}
	}
	if int32(len(hits)) != before-3 {
		t.Errorf("koi hits went from %d to %d; the producer had 3 active koi listings", before, len(hits))
	}
}

func TestProducerChanges(t *testing.T) {
	x := New(nil, nil)
	l := &pb.Listing{Name: "producers/p/listings/l", Title: "Djembe 40 cm", Category: pb.Category_MUSICAL_INSTRUMENT, Unit: "piece", State: pb.Listing_ACTIVE}
	x.PutListing(l)
	if got := mustSearch(t, x, &pb.SearchListingsRequest{Query: "djembe"}).GetTotalSize(); got != 0 {
		t.Errorf("a listing whose producer is unknown was found (%d)", got)
	}
	p := &pb.Producer{Name: "producers/p", DisplayName: "Jimbe Jaya", District: "Garum", Kind: pb.Producer_PRODUCER, VerificationState: pb.VerificationState_UNVERIFIED}
	x.PutProducer(p)
	if got := mustSearch(t, x, &pb.SearchListingsRequest{Query: "djembe"}).GetTotalSize(); got != 1 {
		t.Fatalf("found %d after the producer arrived; want 1", got)
	}
	if got := mustSearch(t, x, &pb.SearchListingsRequest{Query: "jaya"}).GetTotalSize(); got != 1 {
		t.Errorf("not found by the producer's name (%d)", got)
	}
	if got := mustSearch(t, x, &pb.SearchListingsRequest{VerifiedOnly: true}).GetTotalSize(); got != 0 {
		t.Errorf("verified_only found an unverified producer's listing")
	}
	p2 := proto.Clone(p).(*pb.Producer)
	p2.DisplayName, p2.District, p2.VerificationState = "Perkusi Makmur", "Nglegok", pb.VerificationState_VERIFIED
	x.PutProducer(p2)
	for q, want := range map[string]int32{"jaya": 0, "makmur": 1, "nglegok": 1, "garum": 0} {
		if got := mustSearch(t, x, &pb.SearchListingsRequest{Query: q}).GetTotalSize(); got != want {
			t.Errorf("after the producer's rename, %q found %d; want %d", q, got, want)
		}
	}
	resp := mustSearch(t, x, &pb.SearchListingsRequest{VerifiedOnly: true, District: "nglegok"})
	if resp.GetTotalSize() != 1 || resp.GetHits()[0].GetProducer().GetDisplayName() != "Perkusi Makmur" {
		t.Errorf("the summary and filters do not follow the producer: %v", resp)
	}
}

func TestPriceFilterInYen(t *testing.T) {
	x, _ := demoIndex(t)
	// Sambal pecel 250 g jar: USD 1.20 to 1.50. At 144.03 yen to the
	// dollar that is 172.836 yen (173) to 216.045 yen (216).
	const jar = "producers/sambal-sri-rejeki/listings/sambal-pecel-250g-jar"
	in := func(req *pb.SearchListingsRequest) *pb.SearchHit {
		t.Helper()
		hits, _ := allHits(t, x, req)
		for _, h := range hits {
			if h.GetListing().GetName() == jar {
				return h
			}
		}
		return nil
	}
	yen := func(n int64) *moneypb.Money { return &moneypb.Money{CurrencyCode: "JPY", Units: n} }
	h := in(&pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "JPY", PriceMax: yen(173)})
	if h == nil {
		t.Fatal("price_max JPY 173 excludes the jar that costs JPY 173")
	}
	if got, want := h.GetConvertedPriceMin(), yen(173); !proto.Equal(got, want) {
		t.Errorf("converted_price_min = %v; want %v", got, want)
	}
	if got, want := h.GetConvertedPriceMax(), yen(216); !proto.Equal(got, want) {
		t.Errorf("converted_price_max = %v; want %v", got, want)
	}
	if in(&pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "JPY", PriceMax: yen(172)}) != nil {
		t.Error("price_max JPY 172 includes the jar from JPY 173")
	}
	if in(&pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "JPY", PriceMin: yen(216)}) == nil {
		t.Error("price_min JPY 216 excludes the jar up to JPY 216")
	}
	if in(&pb.SearchListingsRequest{Query: "sambal", PriceMin: yen(217)}) != nil {
		t.Error("price_min JPY 217 includes the jar up to JPY 216 (currency taken from the price)")
	}
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "JPY", PriceMin: yen(150), PriceMax: yen(173)})
	if resp.GetCurrencyCode() != "JPY" || resp.GetExchangeRatesDate().GetYear() != 2025 {
		t.Errorf("currency %s, rates of %v", resp.GetCurrencyCode(), resp.GetExchangeRatesDate())
	}
	// 200 g original (USD 1.10-1.40: JPY 158-202), 200 g extra hot (USD
	// 1.15-1.45: JPY 166-209) and the 250 g jar overlap JPY 150-173; the
	// per-kg packs (USD 2.10 and up: JPY 302 and up) do not.
	if resp.GetTotalSize() != 3 {
		t.Errorf("JPY 150-173 found %d; want 3: %v", resp.GetTotalSize(), hitNames(resp))
	}

	// A new rate table applies at once.
	r := fx.DefaultRates()
	r.Rates["JPY"] = "100"
	x.SetExchangeRates(r)
	h = in(&pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "JPY", PriceMax: yen(120)})
	if h == nil || !proto.Equal(h.GetConvertedPriceMin(), yen(120)) {
		t.Errorf("after the rate change: %v", h)
	}
	if got := x.ExchangeRates().GetRates()["JPY"]; got != "100" {
		t.Errorf("ExchangeRates JPY = %q", got)
	}
	x.ExchangeRates().Rates["JPY"] = "1"
	if got := x.ExchangeRates().GetRates()["JPY"]; got != "100" {
		t.Error("ExchangeRates shares its table with the caller")
	}
}

func TestFacetsCountHits(t *testing.T) {
	x, _ := demoIndex(t)
	for _, req := range []*pb.SearchListingsRequest{
		{Query: "djembe"},
		{},
		{ShipToCountryCode: "US"},
		{Query: "koi", CertificationTypes: []string{"CKIB"}},
	} {
		t.Run(req.GetQuery()+req.GetShipToCountryCode(), func(t *testing.T) {
			hits, resp := allHits(t, x, req)
			want := map[string]map[string]int32{
				"category": {}, "district": {}, "ship_to_country_code": {}, "certification_type": {},
			}
			for _, h := range hits {
				want["category"][h.GetListing().GetCategory().String()]++
				want["district"][h.GetProducer().GetDistrict()]++
				for _, c := range h.GetListing().GetShipToCountryCodes() {
					want["ship_to_country_code"][c]++
				}
				for _, c := range h.GetProducer().GetCertificationTypes() {
					want["certification_type"][c]++
				}
			}
			if len(resp.GetFacets()) != 4 {
				t.Fatalf("%d facets", len(resp.GetFacets()))
			}
			for _, f := range resp.GetFacets() {
				got := map[string]int32{}
				for i, v := range f.GetValues() {
					got[v.GetValue()] = v.GetCount()
					if i > 0 && v.GetCount() > f.GetValues()[i-1].GetCount() {
						t.Errorf("%s: values not most frequent first", f.GetField())
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want[f.GetField()]) {
					t.Errorf("facet %s = %v; hits give %v", f.GetField(), got, want[f.GetField()])
				}
			}
		})
	}
}

func TestCertificationFilter(t *testing.T) {
	x, _ := demoIndex(t)
	hits, _ := allHits(t, x, &pb.SearchListingsRequest{CertificationTypes: []string{"CKIB"}})
	if len(hits) == 0 {
		t.Fatal("no listing of a producer with a valid CKIB")
	}
	for _, h := range hits {
		c := h.GetProducer().GetCertificationTypes()
		if !slices.Contains(c, "CKIB") {
			t.Errorf("%s: producer holds %v", h.GetListing().GetName(), c)
		}
		// Koi Dayu's CKIB has expired: it must not appear.
		if h.GetProducer().GetName() == "producers/koi-dayu-nglegok" {
			t.Error("a producer with an expired CKIB passed the filter")
		}
	}
	if got := mustSearch(t, x, &pb.SearchListingsRequest{CertificationTypes: []string{"NEVER_ISSUED"}}).GetTotalSize(); got != 0 {
		t.Errorf("an unknown certificate type matched %d listings", got)
	}
}

func TestOtherFilters(t *testing.T) {
	x, _ := demoIndex(t)
	check := func(name string, req *pb.SearchListingsRequest, ok func(h *pb.SearchHit) bool) {
		t.Helper()
		hits, _ := allHits(t, x, req)
		if len(hits) == 0 {
			t.Errorf("%s: no hits", name)
		}
		for _, h := range hits {
			if !ok(h) {
				t.Errorf("%s: %s does not pass", name, h.GetListing().GetName())
			}
		}
	}
	check("category", &pb.SearchListingsRequest{Categories: []pb.Category{pb.Category_FOOD, pb.Category_HANDICRAFT}}, func(h *pb.SearchHit) bool {
		c := h.GetListing().GetCategory()
		return c == pb.Category_FOOD || c == pb.Category_HANDICRAFT
	})
	check("hs", &pb.SearchListingsRequest{HsPrefix: "0301"}, func(h *pb.SearchHit) bool { return strings.HasPrefix(h.GetListing().GetHsCode(), "0301") })
	check("district", &pb.SearchListingsRequest{Query: "djembe", District: "Garum"}, func(h *pb.SearchHit) bool { return h.GetProducer().GetDistrict() == "Garum" })
	check("kind", &pb.SearchListingsRequest{ProducerKind: pb.Producer_CONSOLIDATOR}, func(h *pb.SearchHit) bool { return h.GetProducer().GetKind() == pb.Producer_CONSOLIDATOR })
	check("verified", &pb.SearchListingsRequest{Query: "djembe", VerifiedOnly: true}, func(h *pb.SearchHit) bool {
		return h.GetProducer().GetVerificationState() == pb.VerificationState_VERIFIED
	})
	check("moq", &pb.SearchListingsRequest{MaxMinOrderQuantity: i64p(20)}, func(h *pb.SearchHit) bool {
		return h.GetListing().MinOrderQuantity != nil && h.GetListing().GetMinOrderQuantity() <= 20
	})
	check("capacity", &pb.SearchListingsRequest{MinMonthlyCapacity: i64p(2000)}, func(h *pb.SearchHit) bool {
		return h.GetListing().GetMonthlyCapacity() >= 2000
	})
}

func TestSortOrders(t *testing.T) {
	ds := synth.Generate(5, 40, 600, testNow)
	x := New(nil, nil)
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	usd := func(m *moneypb.Money) int64 {
		if m == nil {
			return -1
		}
		n, err := money.ToMinor(m)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		order pb.SearchListingsRequest_OrderBy
		key   func(h *pb.SearchHit) int64 // -1 for unknown, which sorts last
		desc  bool
	}{
		{pb.SearchListingsRequest_PRICE_ASCENDING, func(h *pb.SearchHit) int64 { return usd(h.GetConvertedPriceMin()) }, false},
		{pb.SearchListingsRequest_PRICE_DESCENDING, func(h *pb.SearchHit) int64 { return usd(h.GetConvertedPriceMin()) }, true},
		{pb.SearchListingsRequest_CAPACITY_DESCENDING, func(h *pb.SearchHit) int64 {
			if h.GetListing().MonthlyCapacity == nil {
				return -1
			}
			return h.GetListing().GetMonthlyCapacity()
		}, true},
		{pb.SearchListingsRequest_NEWEST, func(h *pb.SearchHit) int64 { return h.GetListing().GetCreateTime().GetSeconds() }, true},
	} {
		t.Run(tc.order.String(), func(t *testing.T) {
			for _, q := range []string{"", "djembe"} {
				hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: q, OrderBy: tc.order, PageSize: 50})
				if len(hits) < 50 {
					t.Fatalf("only %d hits", len(hits))
				}
				unknown := false
				for i, h := range hits {
					k := tc.key(h)
					if k < 0 {
						unknown = true
						continue
					}
					if unknown {
						t.Fatalf("%q: hit %d has a value after unknown ones", q, i)
					}
					if i == 0 || tc.key(hits[i-1]) < 0 {
						continue
					}
					prev := tc.key(hits[i-1])
					if tc.desc && k > prev || !tc.desc && k < prev {
						t.Fatalf("%q: hit %d out of order: %d after %d", q, i, k, prev)
					}
				}
			}
		})
	}
}

func TestPagingReturnsEveryHitOnce(t *testing.T) {
	x, _ := demoIndex(t)
	for _, req := range []*pb.SearchListingsRequest{
		{Query: "djembe", PageSize: 7},
		{PageSize: 4},
		{Query: "koi", OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING, PageSize: 3},
	} {
		hits, first := allHits(t, x, req)
		one := mustSearch(t, x, &pb.SearchListingsRequest{Query: req.GetQuery(), OrderBy: req.GetOrderBy(), PageSize: 100})
		var names []string
		seen := map[string]bool{}
		for _, h := range hits {
			n := h.GetListing().GetName()
			if seen[n] {
				t.Errorf("%q: %s twice", req.GetQuery(), n)
			}
			seen[n] = true
			names = append(names, n)
		}
		if len(hits) != int(first.GetTotalSize()) {
			t.Errorf("%q: %d hits over all pages; total_size %d", req.GetQuery(), len(hits), first.GetTotalSize())
		}
		if !slices.Equal(names, hitNames(one)) {
			t.Errorf("%q: pages give another order than one big page", req.GetQuery())
		}
	}
}

// violationFields returns the fields named by an INVALID_ARGUMENT error.
func violationFields(t *testing.T, err error) []string {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		t.Fatalf("error %v; want INVALID_ARGUMENT", err)
	}
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				fields = append(fields, fv.GetField())
			}
		}
	}
	return fields
}

func TestBadRequests(t *testing.T) {
	x, _ := demoIndex(t)
	first := mustSearch(t, x, &pb.SearchListingsRequest{Query: "djembe", PageSize: 2})
	yen := func(n int64) *moneypb.Money { return &moneypb.Money{CurrencyCode: "JPY", Units: n} }
	for _, tc := range []struct {
		name  string
		req   *pb.SearchListingsRequest
		field string
	}{
		{"unknown currency", &pb.SearchListingsRequest{CurrencyCode: "XYZ"}, "currency_code"},
		{"currency without a rate", &pb.SearchListingsRequest{CurrencyCode: "CHF"}, "currency_code"},
		{"unknown country", &pb.SearchListingsRequest{ShipToCountryCode: "XX"}, "ship_to_country_code"},
		{"lower-case country", &pb.SearchListingsRequest{ShipToCountryCode: "jp"}, "ship_to_country_code"},
		{"page size too large", &pb.SearchListingsRequest{PageSize: 1000}, "page_size"},
		{"negative page size", &pb.SearchListingsRequest{PageSize: -1}, "page_size"},
		{"token of another query", &pb.SearchListingsRequest{Query: "koi", PageSize: 2, PageToken: first.GetNextPageToken()}, "page_token"},
		{"garbage token", &pb.SearchListingsRequest{PageToken: "not-a-token"}, "page_token"},
		{"malformed hs prefix", &pb.SearchListingsRequest{HsPrefix: "92.06"}, "hs_prefix"},
		{"unknown district", &pb.SearchListingsRequest{District: "Atlantis"}, "district"},
		{"bad certification type", &pb.SearchListingsRequest{CertificationTypes: []string{"ckib"}}, "certification_types[0]"},
		{"min above max", &pb.SearchListingsRequest{CurrencyCode: "JPY", PriceMin: yen(500), PriceMax: yen(100)}, "price_min"},
		{"price in another currency", &pb.SearchListingsRequest{CurrencyCode: "USD", PriceMax: yen(100)}, "price_max.currency_code"},
		{"too precise price", &pb.SearchListingsRequest{PriceMin: &moneypb.Money{CurrencyCode: "USD", Units: 1, Nanos: 1}}, "price_min.nanos"},
		{"query too long", &pb.SearchListingsRequest{Query: strings.Repeat("djembe ", 30)}, "query"},
		{"unknown category", &pb.SearchListingsRequest{Categories: []pb.Category{99}}, "categories[0]"},
		{"unknown order", &pb.SearchListingsRequest{OrderBy: 42}, "order_by"},
		{"zero moq", &pb.SearchListingsRequest{MaxMinOrderQuantity: i64p(0)}, "max_min_order_quantity"},
		{"negative capacity", &pb.SearchListingsRequest{MinMonthlyCapacity: i64p(-5)}, "min_monthly_capacity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := x.Search(tc.req, testNow)
			if err == nil {
				t.Fatal("no error")
			}
			if fields := violationFields(t, err); !slices.Contains(fields, tc.field) {
				t.Errorf("violations name %q; want %q", fields, tc.field)
			}
		})
	}
	// All violations at once.
	_, err := x.Search(&pb.SearchListingsRequest{CurrencyCode: "XYZ", ShipToCountryCode: "XX", PageSize: 1000}, testNow)
	if got := violationFields(t, err); len(got) != 3 {
		t.Errorf("violations %q; want all three", got)
	}
	// The next page of the same query is fine, with another page size too.
	if _, err := x.Search(&pb.SearchListingsRequest{Query: "djembe", PageSize: 5, PageToken: first.GetNextPageToken()}, testNow); err != nil {
		t.Errorf("next page: %v", err)
	}
}

// TestNoContactDetails marshals responses and looks for every contact
// detail and private field of the demo producers.
func TestNoContactDetails(t *testing.T) {
	x, ds := demoIndex(t)
	var secrets []string
	for _, p := range ds.Producers {
		c := p.GetContact()
		for _, s := range []string{c.GetPhone(), c.GetWhatsapp(), c.GetEmail(), c.GetPersonName(), p.GetAddress(), p.GetBusinessId(), p.GetVerificationNote(), p.GetLegalName()} {
			if s != "" {
				secrets = append(secrets, s)
			}
		}
		// Phone numbers also without the plus sign.
		if ph := c.GetPhone(); ph != "" {
			secrets = append(secrets, strings.TrimPrefix(ph, "+"))
		}
	}
	if len(secrets) < 50 {
		t.Fatalf("only %d secrets; the demo data changed", len(secrets))
	}
	for _, req := range []*pb.SearchListingsRequest{
		{PageSize: 100}, {Query: "djembe", PageSize: 100}, {Query: "koi", PageSize: 100},
		{Query: "sambal", PageSize: 100}, {Query: "monstera", PageSize: 100}, {Query: "kanigoro", PageSize: 100},
	} {
		resp := mustSearch(t, x, req)
		b, err := protojson.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		js := string(b)
		for _, s := range secrets {
			if strings.Contains(js, s) {
				t.Errorf("response to %q contains %q", req.GetQuery(), s)
			}
		}
	}
}

// TestHitListingsAreShared: the hits of every response showing a listing
// share one decoded message per view, which a write replaces at once; the
// listing the index stores is not reachable through it.
func TestHitListingsAreShared(t *testing.T) {
	x, _ := demoIndex(t)
	req := &pb.SearchListingsRequest{Query: "monstera"}
	first := mustSearch(t, x, req).GetHits()[0].GetListing()
	again := mustSearch(t, x, req).GetHits()[0].GetListing()
	if first != again {
		t.Error("two responses showing the same listing decoded it twice")
	}
	basic := mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera", View: pb.ListingView_BASIC}).GetHits()[0].GetListing()
	if basic == first || basic.GetDescription() != "" {
		t.Errorf("BASIC hit shares the FULL message or shows its description (%q)", basic.GetDescription())
	}
	if b2 := mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera", View: pb.ListingView_BASIC}).GetHits()[0].GetListing(); b2 != basic {
		t.Error("two BASIC responses decoded the listing twice")
	}

	// A write shows at once, in both views.
	changed := x.Listing(first.GetName())
	changed.Title = "Monstera deliciosa, rooted cutting (new)"
	x.PutListing(changed)
	now := mustSearch(t, x, req).GetHits()
	var got *pb.Listing
	for _, h := range now {
		if h.GetListing().GetName() == first.GetName() {
			got = h.GetListing()
		}
	}
	if got == nil || got.GetTitle() != changed.GetTitle() || got == first {
		t.Fatalf("after a write the hit shows %q (same message: %v), want %q", got.GetTitle(), got == first, changed.GetTitle())
	}
	for _, h := range mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera", View: pb.ListingView_BASIC}).GetHits() {
		if h.GetListing().GetName() == first.GetName() && h.GetListing().GetTitle() != changed.GetTitle() {
			t.Errorf("BASIC hit after a write shows %q", h.GetListing().GetTitle())
		}
	}
	// The stored listing is decoded afresh for each caller of Listing.
	if l := x.Listing(first.GetName()); l == got || l.GetTitle() != changed.GetTitle() {
		t.Errorf("Listing returned the shared hit message or %q", l.GetTitle())
	}
}

func TestFallbackToAnyWord(t *testing.T) {
	x, _ := demoIndex(t)
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera zzyzx"})
	if resp.GetTotalSize() == 0 {
		t.Fatal("a word nothing has hid the listings that have the other")
	}
	if r := resp.GetHits()[0].GetMatchReasons(); !slices.Contains(r, `does not mention "zzyzx"`) {
		t.Errorf("reasons %q do not say what is missing", r)
	}
	both := mustSearch(t, x, &pb.SearchListingsRequest{Query: "monstera green"})
	if both.GetTotalSize() != 1 {
		t.Errorf("monstera green: %d hits; want only the listing with both words", both.GetTotalSize())
	}
}

func TestConcurrentSearchesAndWrites(t *testing.T) {
	x, ds := demoIndex(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				q := []string{"djembe", "koi", "", "非洲鼓"}[(g+i)%4]
				if _, err := x.Search(&pb.SearchListingsRequest{Query: q, ShipToCountryCode: "CN"}, testNow); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 200 {
			l := proto.Clone(ds.Listings[i%len(ds.Listings)]).(*pb.Listing)
			l.Title = fmt.Sprintf("%s (%d)", l.GetTitle(), i)
			x.PutListing(l)
			if i%50 == 0 {
				x.PutProducer(ds.Producers[i%len(ds.Producers)])
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestTermCache checks that cached one-word matches give the same answers
// as computed ones and go stale on the next write.
func TestTermCache(t *testing.T) {
	ds := synth.Generate(9, 300, 6000, testNow)
	x := New(nil, nil)
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	req := &pb.SearchListingsRequest{Query: "djembe", PageSize: 50, ShipToCountryCode: "CN"}
	x.noTermCache = true
	cold := mustSearch(t, x, req)
	x.noTermCache = false
	warm1 := mustSearch(t, x, req) // computes and caches
	if x.terms1.get("djembe", x.version) == nil {
		t.Fatalf("djembe (%d matches) was not cached", cold.GetTotalSize())
	}
	warm2 := mustSearch(t, x, req) // from the cache
	for _, w := range []*pb.SearchListingsResponse{warm1, warm2} {
		if !proto.Equal(cold, w) {
			t.Fatal("a cached answer differs from a computed one")
		}
	}
	// A write makes the cache stale at once.
	var top *pb.Listing
	every, _ := allHits(t, x, req)
	for _, h := range every {
		n := strings.ToLower(h.GetProducer().GetDisplayName())
		if !strings.Contains(n, "djembe") && !strings.Contains(n, "jimbe") && !strings.Contains(n, "kendang") {
			top = proto.Clone(h.GetListing()).(*pb.Listing)
			break
		}
	}
	if top == nil {
		t.Fatal("every hit's producer is named after djembe")
	}
	top.Title, top.Description, top.Attributes = "Bamboo basket", "", nil
	x.PutListing(top)
	after := mustSearch(t, x, req)
	if after.GetTotalSize() != cold.GetTotalSize()-1 {
		t.Errorf("after the write: %d hits; want %d", after.GetTotalSize(), cold.GetTotalSize()-1)
	}
	every, _ = allHits(t, x, req)
	for _, h := range every {
		if h.GetListing().GetName() == top.GetName() {
			t.Error("the cache answered with a listing's old text")
		}
	}
}

// Audit, item 7: words that mean something else no longer find the demo's
// products, and the missing terms do, in each language listed.
func TestAuditVocabularySearch(t *testing.T) {
	x, _ := demoIndex(t)
	total := func(q string) int32 {
		return mustSearch(t, x, &pb.SearchListingsRequest{Query: q, PageSize: 100}).GetTotalSize()
	}
	// Peanut butter (HS 2008.11), a darbuka, a gong, caladium or taro: none
	// of them is in the demo, so nothing is found as a synonym. (A listing
	// whose own text has both words, "peanut-chilli paste ... peanuts", is
	// still a literal match of "peanut paste".)
	for _, q := range []string{"花生酱", "花生醬", "peanut paste", "peanut butter", "goblet drum", "tam-tam", "keladi"} {
		for _, h := range mustSearch(t, x, &pb.SearchListingsRequest{Query: q, PageSize: 100}).GetHits() {
			if r := strings.Join(h.GetMatchReasons(), "; "); strings.Contains(r, "synonym") || strings.Contains(r, "includes") {
				t.Errorf("%q found %s through the vocabulary: %s", q, h.GetListing().GetName(), r)
			}
		}
	}
	for _, q := range []string{"花生酱", "花生醬", "goblet drum", "tam-tam", "keladi"} {
		if n := total(q); n != 0 {
			t.Errorf("%q found %d listings; want none", q, n)
		}
	}
	// "kendang" alone is the Javanese drum: it finds the listings that say
	// "kendang", not every djembe.
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "kendang", PageSize: 100})
	if djembe := total("djembe"); resp.GetTotalSize() >= djembe {
		t.Errorf("kendang found %d listings, djembe %d; kendang must not stand for djembe", resp.GetTotalSize(), djembe)
	}
	for _, h := range resp.GetHits() {
		l := h.GetListing()
		if !strings.Contains(strings.ToLower(l.GetTitle()+l.GetDescription()+h.GetProducer().GetDisplayName()), "kendang") {
			t.Errorf("kendang found %s, which does not say kendang", l.GetName())
		}
	}
	// 手鼓 finds djembe, but below a search that names djembe exactly.
	hand := mustSearch(t, x, &pb.SearchListingsRequest{Query: "手鼓"})
	exact := mustSearch(t, x, &pb.SearchListingsRequest{Query: "非洲鼓"})
	if hand.GetTotalSize() == 0 || hand.GetHits()[0].GetScore() >= exact.GetHits()[0].GetScore() {
		t.Errorf("手鼓 top score %v, 非洲鼓 %v; want 手鼓 to find djembe with a lower score", hand.GetHits(), exact.GetHits()[0].GetScore())
	}
	// Simplified and traditional Chinese meet: the same listings, in the
	// same order.
	for _, pair := range [][2]string{
		{"金貝鼓", "金贝鼓"}, {"傑貝鼓", "杰贝鼓"}, {"錦鯉魚", "锦鲤鱼"}, {"觀賞魚", "观赏鱼"},
		{"沙爹醬", "沙爹酱"}, {"沙嗲醬", "沙嗲酱"}, {"綠植", "绿植"}, {"萬年青", "万年青"}, {"火鶴花", "火鹤花"},
	} {
		a := mustSearch(t, x, &pb.SearchListingsRequest{Query: pair[0], PageSize: 100})
		b := mustSearch(t, x, &pb.SearchListingsRequest{Query: pair[1], PageSize: 100})
		if a.GetTotalSize() == 0 || !slices.Equal(hitNames(a), hitNames(b)) {
			t.Errorf("%s found %v, %s found %v; want the same, non-empty", pair[0], hitNames(a), pair[1], hitNames(b))
		}
	}
	// A listing written in traditional characters is found by a simplified
	// query, and the other way round.
	y := New(DefaultVocabulary(), fx.DefaultRates())
	y.PutProducer(&pb.Producer{Name: "producers/p", DisplayName: "P", District: "Garum", Kind: pb.Producer_PRODUCER})
	y.PutListing(&pb.Listing{Name: "producers/p/listings/a", Title: "手工雕刻金貝鼓 40 cm", Category: pb.Category_MUSICAL_INSTRUMENT, Unit: "piece", State: pb.Listing_ACTIVE})
	y.PutListing(&pb.Listing{Name: "producers/p/listings/b", Title: "印尼锦鲤鱼 tosai", Category: pb.Category_ORNAMENTAL_FISH, Unit: "fish", State: pb.Listing_ACTIVE})
	for q, want := range map[string]string{"雕刻金贝鼓": "producers/p/listings/a", "錦鯉魚": "producers/p/listings/b", "手工雕刻": "producers/p/listings/a"} {
		if got := hitNames(mustSearch(t, y, &pb.SearchListingsRequest{Query: q})); !slices.Equal(got, []string{want}) {
			t.Errorf("%q found %v; want %s", q, got, want)
		}
	}
}

// Audit, item 8: words that match nothing find nothing, even when they share
// a digit or a stop word with listings; multi-word queries put the listings
// that match more of the words first.
func TestQueryMatchingNothing(t *testing.T) {
	x, _ := demoIndex(t)
	for _, q := range []string{"repldel4dfbcc", "4", "the", "and 4", "xq7 zzv", "dan 3", "其 4"} {
		if resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: q}); resp.GetTotalSize() != 0 {
			t.Errorf("%q found %d listings (%v); want none", q, resp.GetTotalSize(), hitNames(resp))
		}
	}
	// A digit still narrows a query that has a real word.
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "djembe 4", PageSize: 100})
	if resp.GetTotalSize() == 0 {
		t.Error(`"djembe 4" found nothing; the word djembe alone should carry it`)
	}
	for _, h := range resp.GetHits() {
		if h.GetListing().GetCategory() != pb.Category_MUSICAL_INSTRUMENT && h.GetListing().GetCategory() != pb.Category_HANDICRAFT {
			t.Errorf(`"djembe 4" found %s`, h.GetListing().GetName())
		}
	}
	// All words first: no listing is a painted djembe and a koi, so the
	// painted djembe (two words) come before the plain djembe and the koi
	// (one word each).
	hits, _ := allHits(t, x, &pb.SearchListingsRequest{Query: "painted djembe koi"})
	painted := func(h *pb.SearchHit) bool {
		l := h.GetListing()
		return strings.Contains(strings.ToLower(l.GetTitle()+l.GetDescription()+fmt.Sprint(l.GetAttributes())), "painted") &&
			l.GetCategory() != pb.Category_ORNAMENTAL_FISH
	}
	if len(hits) == 0 || !painted(hits[0]) {
		t.Fatalf("first hit %v; want a painted djembe", hits)
	}
	seenOther := false
	for _, h := range hits {
		switch {
		case !painted(h):
			seenOther = true
		case seenOther:
			t.Errorf("painted %s ranks below a listing that matches fewer words", h.GetListing().GetName())
		}
	}
	if !seenOther {
		t.Error("only painted djembe found; want the one-word matches after them")
	}
	// When listings match every word, only they are returned.
	for _, h := range mustSearch(t, x, &pb.SearchListingsRequest{Query: "painted djembe", PageSize: 100}).GetHits() {
		if !painted(h) {
			t.Errorf(`"painted djembe" found %s, which is not painted`, h.GetListing().GetName())
		}
	}
}
