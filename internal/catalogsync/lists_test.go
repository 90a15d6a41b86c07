package catalogsync

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/synth"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// listFixture is a store of synthetic listings with the read model loaded
// from it, as the app wires them.
func listFixture(tb testing.TB, producers, listings int) (*mongostore.Store, *Store, *seed.Dataset) {
	tb.Helper()
	return listFixtureOn(tb, testdb.New(tb), producers, listings)
}

// listFixtureOn is listFixture on a given database.
func listFixtureOn(tb testing.TB, db *mongo.Database, producers, listings int) (*mongostore.Store, *Store, *seed.Dataset) {
	tb.Helper()
	ctx := context.Background()
	ms := mongostore.New(db)
	if err := ms.EnsureIndexes(ctx); err != nil {
		tb.Fatal(err)
	}
	ds := synth.Generate(1, producers, listings, time.Now())
	if err := ms.Import(ctx, ds.Producers, ds.Listings, nil, nil); err != nil {
		tb.Fatal(err)
	}
	idx := catalog.New(catalog.DefaultVocabulary(), fx.DefaultRates())
	sy := New(ms, idx, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err := sy.Load(ctx); err != nil {
		tb.Fatal(err)
	}
	return ms, &Store{Store: ms, Index: idx, Lists: idx, Ready: sy.Ready}, ds
}

// pageAll pages through a list the way a client does.
func pageAll(t *testing.T, list func(context.Context, store.ListOptions) ([]*pb.Listing, bool, error), o store.ListOptions) []*pb.Listing {
	t.Helper()
	var all []*pb.Listing
	for {
		items, more, err := list(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) > o.PageSize {
			t.Fatalf("page of %d items, page size %d", len(items), o.PageSize)
		}
		all = append(all, items...)
		if !more {
			return all
		}
		if len(items) == 0 {
			t.Fatal("empty page with more to come")
		}
		o.After = items[len(items)-1].GetName()
	}
}

// TestListListingsFromMemoryEqualsStore pins that the read model answers
// every list exactly as the database does: same items, same order, same
// pages, for every kind of filter condition.
func TestListListingsFromMemoryEqualsStore(t *testing.T) {
	t.Parallel()
	ms, st, _ := listFixture(t, 6, 120)
	ctx := context.Background()

	// Read-your-writes: made through the write-through store, listed at
	// once without a poll of the change log.
	first := pageAll(t, ms.ListListings, store.ListOptions{Parent: synth.ProducerName(0), PageSize: 1})[0]
	extra := &pb.Listing{Name: synth.ListingName(0, 999), Title: "Fresh", Category: pb.Category_HANDICRAFT, Unit: "piece", State: pb.Listing_DRAFT}
	if _, err := st.CreateListing(ctx, extra, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteListing(ctx, first.GetName(), ""); err != nil {
		t.Fatal(err)
	}

	all := pageAll(t, ms.ListListings, store.ListOptions{PageSize: 500})
	if len(all) != 120 {
		t.Fatalf("store holds %d listings, want 120", len(all))
	}
	var hs, country string
	for _, l := range all {
		if hs == "" && l.GetHsCode() != "" {
			hs = l.GetHsCode()
		}
		if country == "" && len(l.GetShipToCountryCodes()) > 0 {
			country = l.GetShipToCountryCodes()[0]
		}
	}
	eq := func(f string, v any) query.Condition { return query.Condition{Field: f, Op: query.Eq, Value: v} }
	ne := func(f string, v any) query.Condition { return query.Condition{Field: f, Op: query.Ne, Value: v} }
	filters := map[string][]query.Condition{
		"none":           nil,
		"state":          {eq("state", "ACTIVE")},
		"not state":      {ne("state", "ACTIVE")},
		"category":       {eq("category", all[0].GetCategory().String())},
		"hs prefix":      {{Field: "hs_code", Op: query.Eq, Value: hs[:2], Prefix: true}},
		"hs any":         {{Field: "hs_code", Op: query.Eq, Value: "", Prefix: true}},
		"hs not":         {ne("hs_code", hs)},
		"hs eq":          {eq("hs_code", hs)},
		"country has":    {{Field: "ship_to_country_codes", Op: query.Has, Value: country}},
		"country eq":     {eq("ship_to_country_codes", "ZZ")},
		"unit":           {eq("unit", all[0].GetUnit())},
		"title":          {eq("title", all[3].GetTitle())},
		"title not":      {ne("title", all[3].GetTitle())},
		"state and unit": {eq("state", "ACTIVE"), ne("unit", all[0].GetUnit())},
		// Served from the search bitsets (ListListingsHinted) when the
		// parent is all producers.
		"draft":              {eq("state", "DRAFT")},
		"draft and country":  {eq("state", "DRAFT"), {Field: "ship_to_country_codes", Op: query.Has, Value: country}},
		"category, country":  {eq("category", all[0].GetCategory().String()), {Field: "ship_to_country_codes", Op: query.Has, Value: country}},
		"active, country":    {eq("state", "ACTIVE"), {Field: "ship_to_country_codes", Op: query.Has, Value: country}},
		"two categories":     {eq("category", all[0].GetCategory().String()), eq("category", "ORNAMENTAL_FISH")},
		"country, not state": {ne("state", "ACTIVE"), {Field: "ship_to_country_codes", Op: query.Eq, Value: country}},
	}
	names := make([]string, 0, len(filters))
	for n := range filters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, parent := range []string{"", synth.ProducerName(0), synth.ProducerName(3), "producers/nobody"} {
		for _, fn := range names {
			for _, size := range []int{9, 500} {
				t.Run(fmt.Sprintf("%s/%s/%d", parent, fn, size), func(t *testing.T) {
					o := store.ListOptions{Parent: parent, Conditions: filters[fn], PageSize: size}
					want := pageAll(t, ms.ListListings, o)
					got := pageAll(t, st.ListListings, o)
					if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
						t.Errorf("read model differs from the store (-store +memory):\n%s", diff)
					}
				})
			}
		}
	}
	if got := pageAll(t, st.ListListings, store.ListOptions{Parent: synth.ProducerName(0), PageSize: 500}); !slices.ContainsFunc(got, func(l *pb.Listing) bool { return l.GetName() == extra.GetName() }) {
		t.Error("a listing created through this store is missing from its producer's list")
	}
}

// TestListProducersFromMemoryEqualsStore pins unfiltered lists of
// producers, read-your-writes included.
func TestListProducersFromMemoryEqualsStore(t *testing.T) {
	t.Parallel()
	ms, st, _ := listFixture(t, 7, 40)
	ctx := context.Background()
	if _, err := st.CreateProducer(ctx, &pb.Producer{Name: "producers/aaa-new", DisplayName: "New", District: "Kanigoro"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateProducer(ctx, synth.ProducerName(2), "", func(p *pb.Producer) error { p.DisplayName = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	page := func(list func(context.Context, store.ListOptions) ([]*pb.Producer, bool, error), size int) []*pb.Producer {
		var all []*pb.Producer
		o := store.ListOptions{PageSize: size}
		for {
			items, more, err := list(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, items...)
			if !more {
				return all
			}
			o.After = items[len(items)-1].GetName()
		}
	}
	for _, size := range []int{1, 3, 500} {
		want, got := page(ms.ListProducers, size), page(st.ListProducers, size)
		if len(want) != 8 {
			t.Fatalf("store lists %d producers, want 8", len(want))
		}
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("page size %d: read model differs from the store (-store +memory):\n%s", size, diff)
		}
	}
}

// TestListListingsStopsWithContext shows an abandoned list does no more work.
func TestListListingsStopsWithContext(t *testing.T) {
	t.Parallel()
	_, st, _ := listFixture(t, 2, 600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := st.ListListings(ctx, store.ListOptions{PageSize: 500, Conditions: []query.Condition{{Field: "title", Op: query.Eq, Value: "none has it"}}}); err == nil {
		t.Fatal("a list with a cancelled context succeeded")
	}
}

// benchListings is the catalogue size of BenchmarkListListings:
// TEMUBISNIS_BENCH_LISTINGS, default 100,000 (loading it into the embedded
// FerretDB takes about a minute).
func benchListings(b *testing.B) int {
	if v := os.Getenv("TEMUBISNIS_BENCH_LISTINGS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			b.Fatalf("TEMUBISNIS_BENCH_LISTINGS=%q: want a number ≥ 10", v)
		}
		return n
	}
	return 100_000
}

// BenchmarkListListings measures List of listings on a synthetic catalogue
// in the embedded store: "store" is the database query that served lists
// before (kept as the fallback until the read model is loaded), "memory" the
// read model. p50 and p99 are of single calls.
func BenchmarkListListings(b *testing.B) {
	n := benchListings(b)
	t0 := time.Now()
	ms, st, ds := listFixtureOn(b, benchDatabase(b), max(1, n/8), n)
	b.Logf("loaded %d listings in %v", n, time.Since(t0).Round(time.Second))
	// A producer of typical size: the owner of the middle listing.
	parent, _, _ := strings.Cut(ds.Listings[n/2].GetName(), "/listings/")
	b.Logf("one-producer: %s", parent)
	active := []query.Condition{{Field: "state", Op: query.Eq, Value: "ACTIVE"}}
	cases := []struct {
		name string
		o    store.ListOptions
	}{
		{"one-producer", store.ListOptions{Parent: parent, PageSize: 50}},
		{"all", store.ListOptions{PageSize: 50}},
		{"all-filtered", store.ListOptions{PageSize: 50, Conditions: active}},
		{"all-filtered-rare", store.ListOptions{PageSize: 50, Conditions: []query.Condition{{Field: "ship_to_country_codes", Op: query.Has, Value: "IS"}}}},
	}
	producerCases := []struct {
		name string
		o    store.ListOptions
	}{
		{"producers", store.ListOptions{PageSize: 50}},
		{"producers-verified", store.ListOptions{PageSize: 50, Conditions: []query.Condition{{Field: "verification_state", Op: query.Eq, Value: "VERIFIED"}}}},
		{"producers-rare", store.ListOptions{PageSize: 50, Conditions: []query.Condition{{Field: "export_history.country_code", Op: query.Has, Value: "IS"}}}},
	}
	for _, c := range producerCases {
		for _, impl := range []struct {
			name string
			list func(context.Context, store.ListOptions) ([]*pb.Producer, bool, error)
		}{{"store", ms.ListProducers}, {"memory", st.ListProducers}} {
			b.Run(c.name+"/"+impl.name, func(b *testing.B) { benchList(b, impl.list, c.o) })
		}
	}
	for _, c := range cases {
		for _, impl := range []struct {
			name string
			list func(context.Context, store.ListOptions) ([]*pb.Listing, bool, error)
		}{{"store", ms.ListListings}, {"memory", st.ListListings}} {
			b.Run(c.name+"/"+impl.name, func(b *testing.B) { benchList(b, impl.list, c.o) })
		}
	}
}

// TestListProducersFilteredFromMemoryEqualsStore pins filtered lists of
// producers: every filterable field with every operator it takes, absent
// values (no NIB, no export history) and read-your-writes.
func TestListProducersFilteredFromMemoryEqualsStore(t *testing.T) {
	t.Parallel()
	ms, st, _ := listFixture(t, 40, 80)
	ctx := context.Background()
	// Written through the store: a consolidator without NIB, languages or
	// history, and a producer whose only certificate has no type recorded
	// beyond one, listed at once without a poll.
	if _, err := st.CreateProducer(ctx, &pb.Producer{
		Name: "producers/aaa-bare", DisplayName: "Bare", District: "Kanigoro",
		Kind: pb.Producer_CONSOLIDATOR, VerificationState: pb.VerificationState_UNVERIFIED,
	}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateProducer(ctx, synth.ProducerName(5), "", func(p *pb.Producer) error {
		p.DisplayName = "Renamed Five"
		p.ExportsInOwnName = !p.ExportsInOwnName
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page := func(list func(context.Context, store.ListOptions) ([]*pb.Producer, bool, error), o store.ListOptions) []*pb.Producer {
		var all []*pb.Producer
		for {
			items, more, err := list(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) > o.PageSize {
				t.Fatalf("page of %d items, page size %d", len(items), o.PageSize)
			}
			all = append(all, items...)
			if !more {
				return all
			}
			o.After = items[len(items)-1].GetName()
		}
	}
	all := page(ms.ListProducers, store.ListOptions{PageSize: 500})
	if len(all) != 41 {
		t.Fatalf("store lists %d producers, want 41", len(all))
	}
	// Values present in the data, so that filters match some producers.
	var country, cert, lang, nib, district string
	for _, p := range all {
		if country == "" && len(p.GetExportHistory()) > 0 {
			country = p.GetExportHistory()[0].GetCountryCode()
		}
		if cert == "" && len(p.GetCertifications()) > 0 {
			cert = p.GetCertifications()[0].GetType()
		}
		if lang == "" && len(p.GetLanguageCodes()) > 1 {
			lang = p.GetLanguageCodes()[1]
		}
		if nib == "" && p.GetBusinessId() != "" {
			nib = p.GetBusinessId()
		}
		if district == "" && p.GetDistrict() != "Kanigoro" {
			district = p.GetDistrict()
		}
	}
	if country == "" || cert == "" || lang == "" || nib == "" {
		t.Fatalf("synthetic producers lack values to filter on: country %q cert %q language %q NIB %q", country, cert, lang, nib)
	}
	eq := func(f string, v any) query.Condition { return query.Condition{Field: f, Op: query.Eq, Value: v} }
	ne := func(f string, v any) query.Condition { return query.Condition{Field: f, Op: query.Ne, Value: v} }
	has := func(f string, v any) query.Condition { return query.Condition{Field: f, Op: query.Has, Value: v} }
	filters := map[string][]query.Condition{
		"display name":      {eq("display_name", "Renamed Five")},
		"display name not":  {ne("display_name", "Renamed Five")},
		"display name none": {eq("display_name", "")},
		"kind":              {eq("kind", "CONSOLIDATOR")},
		"kind not":          {ne("kind", "PRODUCER")},
		"district":          {eq("district", district)},
		"district not":      {ne("district", district)},
		"verified":          {eq("verification_state", "VERIFIED")},
		"not verified":      {ne("verification_state", "VERIFIED")},
		"own name":          {eq("exports_in_own_name", true)},
		"not own name":      {eq("exports_in_own_name", false)},
		"own name not true": {ne("exports_in_own_name", true)},
		"exported to":       {has("export_history.country_code", country)},
		"exported to eq":    {eq("export_history.country_code", country)},
		"exported nowhere":  {has("export_history.country_code", "IS")},
		"certificate":       {has("certifications.type", cert)},
		"language":          {has("language_codes", lang)},
		"language id":       {eq("language_codes", "id")},
		"nib":               {eq("business_id", nib)},
		"nib empty":         {eq("business_id", "")},
		"nib not":           {ne("business_id", nib)},
		"nib not empty":     {ne("business_id", "")},
		"verified exporter": {eq("verification_state", "VERIFIED"), has("export_history.country_code", country), ne("kind", "CONSOLIDATOR")},
	}
	names := make([]string, 0, len(filters))
	for n := range filters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, fn := range names {
		for _, size := range []int{4, 500} {
			t.Run(fmt.Sprintf("%s/%d", fn, size), func(t *testing.T) {
				o := store.ListOptions{Conditions: filters[fn], PageSize: size}
				want, got := page(ms.ListProducers, o), page(st.ListProducers, o)
				if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
					t.Errorf("read model differs from the store (-store +memory):\n%s", diff)
				}
			})
		}
	}
	// The test must be able to fail: the filters select different, non-empty
	// sets.
	if n := len(page(st.ListProducers, store.ListOptions{Conditions: filters["own name"], PageSize: 500})); n == 0 || n == 41 {
		t.Errorf("exports_in_own_name = true kept %d of 41 producers", n)
	}
	// The kept name order follows a delete and a create that leave the
	// count as it was (the freed slot is reused).
	if err := st.DeleteProducer(ctx, synth.ProducerName(7), "", true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateProducer(ctx, &pb.Producer{Name: "producers/zzz-late", DisplayName: "Late", District: "Kanigoro"}, ""); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{4, 500} {
		o := store.ListOptions{PageSize: size}
		want, got := page(ms.ListProducers, o), page(st.ListProducers, o)
		if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
			t.Errorf("after a delete and a create, page size %d: read model differs from the store (-store +memory):\n%s", size, diff)
		}
	}
	if got := page(st.ListProducers, store.ListOptions{Conditions: filters["kind"], PageSize: 500}); len(got) == 0 || got[0].GetName() != "producers/aaa-bare" {
		t.Errorf("kind = CONSOLIDATOR does not list first the consolidator just written through the store: %d producers", len(got))
	}
}

// benchList reports the median and 99th percentile time of list(o).
func benchList[T any](b *testing.B, list func(context.Context, store.ListOptions) ([]T, bool, error), o store.ListOptions) {
	ds := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if _, _, err := list(ctx, o); err != nil {
			b.Fatal(err)
		}
		cancel()
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
}
