package matching

import (
	"regexp"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// englishWords are words an Indonesian explanation must not contain: if one
// shows up, a sentence fell through to English.
var englishWords = regexp.MustCompile(`\b(the|buyer|listing|requested|months?|days?|ships|makes|price|verified|proposals|requirements?|needed-by|cannot|enough|about)\b`)

// TestIndonesianExplanations: every criterion of every demo ranking is
// explained in Indonesian too, with the same figures as the English one
// and no English sentence in it (requirement titles excepted).
func TestIndonesianExplanations(t *testing.T) {
	d := newDemo(t)
	digits := regexp.MustCompile(`\d+`)
	for _, r := range d.ds.BuyingRequests {
		resp := d.engine.Match(r, d.buyers[buyerOf(r.GetName())], MaxLimit)
		for _, m := range resp.GetMatches() {
			for _, c := range m.GetCriteria() {
				en, id := c.GetExplanation(), c.GetExplanationId()
				if id == "" || id == en {
					t.Errorf("%s %s: no Indonesian explanation (%q)", m.GetListing().GetName(), c.GetCriterion(), id)
					continue
				}
				plain := id
				if c.GetCriterion() == "export_readiness" {
					// Requirement titles are quoted as the catalogue writes them.
					if i := strings.Index(plain, "Masih diperlukan:"); i >= 0 {
						plain = plain[:i]
					}
				}
				if w := englishWords.FindString(strings.ToLower(plain)); w != "" {
					t.Errorf("%s %s: English %q in %q", m.GetListing().GetName(), c.GetCriterion(), w, id)
				}
				// Same figures: the digits agree once grouping is ignored.
				strip := func(s string) string {
					return strings.Join(digits.FindAllString(strings.NewReplacer(",", "", ".", "").Replace(s), -1), " ")
				}
				if c.GetCriterion() != "export_readiness" && strip(en) != strip(id) {
					t.Errorf("%s %s: figures differ:\n en %q\n id %q", m.GetListing().GetName(), c.GetCriterion(), en, id)
				}
			}
		}
	}
}

func TestLangHelpers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{indonesian.num(10_000), "10.000"},
		{english.num(10_000), "10,000"},
		{indonesian.qty(1200, "piece"), "1.200 piece"},
		{english.qty(1200, "piece"), "1,200 pieces"},
		{indonesian.money("USD", 123450, 2), "USD 1.234,50"},
		{indonesian.country("US"), "Amerika Serikat"},
		{indonesian.country("HK"), "Hong Kong"},
		{indonesian.country("JP"), "Jepang"},
		{indonesian.category(pb.Category_ORNAMENTAL_FISH), "ikan hias"},
		{indonesian.and([]string{"a", "b", "c"}), "a, b dan c"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
