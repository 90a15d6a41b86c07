package catalog

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func TestDefaultVocabulary(t *testing.T) {
	v := DefaultVocabulary()
	if v.Len() < 25 {
		t.Fatalf("only %d concepts", v.Len())
	}
	for _, tc := range []struct {
		phrase, concept string
		member          string
	}{
		{"djembe", "djembe", "非洲鼓"},
		{"ジャンベ", "djembe", "kendang jimbe"},
		{"Drum", "djembe", "jimbe"},
		{"nishikigoi", "koi", "锦鲤"}, // members are shown folded to simplified
		{"錦鯉魚", "koi", "kohaku"},
		{"ヒレナガ錦鯉", "butterfly-koi", "butterfly koi"},
		{"ドイツ鯉", "doitsu", "doitsu"},
		{"鯉魚", "carp", "koi"}, // generic carp finds koi only as narrower
		{"金貝鼓", "djembe", "djembe"},
		{"傑貝鼓", "djembe", "非洲鼓"},
		{"手鼓", "hand-drum", "djembe"},
		{"沙爹醬", "sambal-pecel", "pecel"},
		{"沙嗲酱", "sambal-pecel", "pecel"},
		{"プチェル", "sambal-pecel", "pecel"},
		{"ペセル", "sambal-pecel", "pecel"},
		{"sambel kacang", "sambal-pecel", "pecel"},
		{"綠植", "ornamental-plant", "monstera"},
		{"sri rejeki", "aglaonema", "aglaonema"},
		{"gelombang cinta", "anthurium", "anthurium"},
		{"kalatea", "calathea", "calathea"},
		{"TC plantlet", "tissue-culture", "tissue culture"},
		{"rooted cutting", "rooted-cutting", "stek"},
		{"variegated", "variegated", "albo"},
		{"nangka", "jackfruit-wood", "jackfruit wood"},
		{"rebana", "rebana", "frame drum"},
		{"錦鯉", "koi", "kohaku"}, // narrower concepts are included
		{"peanut sauce", "sambal-pecel", "pecel"},
		{"chili sauce", "sambal", "sambal pecel"},
		{"龜背竹", "monstera", "monstera"},
		{"tanaman hias", "ornamental-plant", "anthurium"},
	} {
		got := v.Expand(tc.phrase)
		if got == nil {
			t.Errorf("Expand(%q) = nil; want concept %s", tc.phrase, tc.concept)
			continue
		}
		if !slices.Contains(got[tc.concept], tc.member) {
			t.Errorf("Expand(%q)[%s] = %q; want it to contain %q", tc.phrase, tc.concept, got[tc.concept], tc.member)
		}
	}
	if v.Expand("kohaku")["koi"] != nil {
		t.Error(`"kohaku" expands to koi; a narrower concept must not expand to the broader one`)
	}
	if v.Expand("unknownword") != nil {
		t.Error("an unknown word expanded")
	}
	// Words that mean something else are not synonyms (audit, item 7).
	for phrase, not := range map[string]string{
		"花生酱":          "sambal-pecel", // peanut butter, HS 2008.11
		"花生醬":          "sambal-pecel",
		"peanut paste": "sambal-pecel",
		"kendang":      "djembe",   // the Javanese two-headed drum
		"goblet drum":  "djembe",   // darbuka
		"tam-tam":      "djembe",   // a gong
		"keladi":       "alocasia", // caladium or taro
		"手鼓":           "djembe",   // only as a narrower concept of hand drum
		"hand drum":    "djembe",
	} {
		if got := v.Expand(phrase); got[not] != nil {
			t.Errorf("Expand(%q) names %s directly: %q", phrase, not, got)
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadVocabularyExtends(t *testing.T) {
	path := writeFile(t, "extra.json", `{
  "comment": "trade office additions",
  "concepts": [
    {"id": "djembe", "terms": {"en": ["bongo drum", "bougarabou"]}},
    {"id": "gamelan", "label": "gamelan", "categories": ["MUSICAL_INSTRUMENT"],
     "terms": {"id": ["gamelan", "gong"], "ja": ["ガムラン"]}},
    {"id": "percussion", "narrower": ["gamelan"]}
  ]
}`)
	v, err := LoadVocabulary(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Expand("bougarabou")["djembe"]; !slices.Contains(got, "非洲鼓") {
		t.Errorf("extension of djembe: Expand(bougarabou) = %q", got)
	}
	if got := v.Expand("ガムラン")["gamelan"]; !slices.Contains(got, "gong") {
		t.Errorf("new concept: Expand(ガムラン) = %q", got)
	}
	if got := v.Expand("percussion")["percussion"]; !slices.Contains(got, "gamelan") {
		t.Errorf("narrower added by extension: Expand(percussion) = %q", got)
	}
	if DefaultVocabulary().Expand("bougarabou") != nil {
		t.Error("the extension changed the default vocabulary")
	}

	// The extended vocabulary works in search.
	x := New(v, nil)
	x.PutProducer(&pb.Producer{Name: "producers/p", DisplayName: "Sanggar", District: "Nglegok", Kind: pb.Producer_PRODUCER})
	x.PutListing(&pb.Listing{Name: "producers/p/listings/l", Title: "Djembe 40 cm", Category: pb.Category_MUSICAL_INSTRUMENT, Unit: "piece", State: pb.Listing_ACTIVE})
	resp := mustSearch(t, x, &pb.SearchListingsRequest{Query: "bougarabou"})
	if resp.GetTotalSize() != 1 {
		t.Errorf("search through an added synonym found %d listings; want 1", resp.GetTotalSize())
	}
}

func TestLoadVocabularyErrors(t *testing.T) {
	if _, err := LoadVocabulary(""); err != nil {
		t.Fatalf("no extra file: %v", err)
	}
	for _, tc := range []struct {
		name, content string
		want          []string // all must appear in the error
	}{
		{"syntax.json", "{\n  \"concepts\": [\n    {\"id\": \"x\", \"terms\": {\"en\": [\"a\",]}}\n  ]\n}", []string{"syntax.json:3", "invalid character"}},
		{"unknown-field.json", "{\"concepts\": [\n  {\"id\": \"x\", \"term\": {\"en\": [\"a\"]}}\n]}", []string{"unknown-field.json:2", "concepts[0]", "term"}},
		{"category.json", "{\"concepts\": [\n  {\"id\": \"x\", \"terms\": {\"en\": [\"a\"]}},\n  {\"id\": \"bad\", \"categories\": [\"FISH\"], \"terms\": {\"en\": [\"b\"]}}\n]}", []string{"category.json:3", "concepts[1]", `"bad"`, `"FISH" is not a category`}},
		{"empty-term.json", "{\"concepts\": [{\"id\": \"x\", \"terms\": {\"en\": [\"ok\", \" -- \"]}}]}", []string{"empty-term.json:1", `terms["en"][1]`, "no letters or digits"}},
		{"narrower.json", "{\"concepts\": [{\"id\": \"x\", \"terms\": {\"en\": [\"a\"]}, \"narrower\": [\"nope\"]}]}", []string{"narrower.json", `"nope" is not defined`}},
		{"no-terms.json", "{\"concepts\": [{\"id\": \"brand-new\"}]}", []string{"no-terms.json:1", `"brand-new"`, "has no terms"}},
		{"bad-id.json", "{\"concepts\": [{\"id\": \"Not An Id\", \"terms\": {\"en\": [\"a\"]}}]}", []string{"bad-id.json:1", "id must be"}},
		{"top-level.json", "{\"concept\": []}", []string{"top-level.json", `unknown key "concept"`}},
		{"truncated.json", "{\"concepts\": [", []string{"truncated.json", "end of file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadVocabulary(writeFile(t, tc.name, tc.content))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if _, err := LoadVocabulary(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}
