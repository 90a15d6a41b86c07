package catalog

import (
	"context"
	"slices"
	"testing"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// BenchmarkListFromIndex measures List pages served by the index alone (no
// database) at 100,000 listings: p50 and p99 of single calls, page of 50.
// catalogsync's BenchmarkListListings measures the same through the store
// with the filters of the API.
func BenchmarkListFromIndex(b *testing.B) {
	bi := loadBenchIndex(b, 100_000)
	x := bi.x
	shipsTo := func(c string) func(*ListingFields) bool {
		return func(f *ListingFields) bool { return slices.Contains(f.ShipToCountryCodes, c) }
	}
	exportedTo := func(c string) func(*ProducerFields) bool {
		return func(f *ProducerFields) bool { return slices.Contains(f.ExportCountries, c) }
	}
	cases := []struct {
		name string
		run  func(context.Context) error
	}{
		{"listings-ship-to-rare/order", func(ctx context.Context) error {
			_, _, err := x.ListListings(ctx, "", "", 50, shipsTo("IS"), []byte("IS"))
			return err
		}},
		{"listings-ship-to-rare/hinted", func(ctx context.Context) error {
			_, _, err := x.ListListingsHinted(ctx, "", 50, ListHint{ShipTo: "IS"}, shipsTo("IS"), []byte("IS"))
			return err
		}},
		{"listings-draft/hinted", func(ctx context.Context) error {
			_, _, err := x.ListListingsHinted(ctx, "", 50, ListHint{NotActive: true}, func(f *ListingFields) bool { return f.State == pb.Listing_DRAFT })
			return err
		}},
		{"listings-ship-to-JP", func(ctx context.Context) error {
			_, _, err := x.ListListings(ctx, "", "", 50, shipsTo("JP"), []byte("JP"))
			return err
		}},
		{"producers-exported-rare", func(ctx context.Context) error {
			_, _, err := x.ListProducers(ctx, "", 50, exportedTo("IS"), []byte("IS"))
			return err
		}},
		{"producers-verified", func(ctx context.Context) error {
			_, _, err := x.ListProducers(ctx, "", 50, func(f *ProducerFields) bool { return f.VerificationState == pb.VerificationState_VERIFIED })
			return err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			for b.Loop() {
				t0 := time.Now()
				if err := c.run(context.Background()); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
		})
	}
}
