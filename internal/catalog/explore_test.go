package catalog

import (
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func TestExplore(t *testing.T) {
	x, _ := demoIndex(t)
	for _, q := range []string{"nishikigoi", "錦鯉", "koi", "非洲鼓", "ジャンベ", "jimbe", "drum", "peanut sauce", "monstera", "DJÉMBÉ", "kanigoro djembe", "chili sauce", "手工非洲鼓", "drums for kids"} {
		resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: q, PageSize: 5})
		t.Logf("%q total=%d terms=%v", q, resp.TotalSize, resp.InterpretedTerms)
		for _, h := range resp.Hits {
			t.Logf("   %.3f %s | %s | %v", h.Score, h.Listing.Name, h.Listing.Title, h.MatchReasons)
		}
	}
}
