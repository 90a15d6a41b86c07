package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// usedKeys are the message keys the templates and handlers use: every
// {{.T "..."}} and p.T("...") literal, the criterion labels and every enum
// value a page shows.
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	tmplKey := regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`)
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		for _, m := range tmplKey.FindAllStringSubmatch(string(data), -1) {
			keys[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Handlers translate with p.T("...") literals; tests run in the
	// package directory, so the sources are at hand.
	goKey := regexp.MustCompile(`p\.T\("((?:[^"\\]|\\.)*)"`)
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sources {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKey.FindAllStringSubmatch(string(data), -1) {
			keys[m[1]] = true
		}
	}
	for _, label := range statLabels {
		keys[label] = true
	}
	for _, label := range criterionLabels {
		keys[label] = true
	}
	for _, e := range []protoreflect.EnumDescriptor{
		pb.Category(0).Descriptor(), pb.Listing_State(0).Descriptor(), pb.BuyingRequest_State(0).Descriptor(),
		pb.Match_State(0).Descriptor(), pb.Answer(0).Descriptor(), pb.Party(0).Descriptor(), pb.VerificationState(0).Descriptor(),
		pb.SearchListingsRequest_OrderBy(0).Descriptor(), pb.CriterionScore_Outcome(0).Descriptor(), pb.ReadinessStatus(0).Descriptor(),
		pb.Requirement_Obligation(0).Descriptor(), pb.Producer_Kind(0).Descriptor(),
		pb.Quote_State(0).Descriptor(), pb.PaymentMethod(0).Descriptor(),
	} {
		for i := range e.Values().Len() {
			if v := e.Values().Get(i); v.Number() != 0 {
				keys[enumKey(string(v.Name()))] = true
			}
		}
	}
	return keys
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)

// TestCataloguesComplete: every text a page shows has a translation in
// every language, with the same number of arguments as its key, and no
// catalogue keeps entries nothing uses.
func TestCataloguesComplete(t *testing.T) {
	t.Parallel()
	used := usedKeys(t)
	for _, lang := range []language.Tag{langID, langZhHans, langZhHant, langJA} {
		t.Run(lang.String(), func(t *testing.T) {
			cat, err := localeKeys(lang)
			if err != nil {
				t.Fatal(err)
			}
			for k := range used {
				tr, ok := cat[k]
				switch {
				case !ok:
					t.Errorf("%s: no translation of %q", lang, k)
				case len(verb.FindAllString(tr, -1)) != len(verb.FindAllString(k, -1)):
					t.Errorf("%s: %q -> %q: the arguments differ", lang, k, tr)
				case strings.TrimSpace(tr) == "":
					t.Errorf("%s: %q is translated as nothing", lang, k)
				}
			}
			for k := range cat {
				if !used[k] && !strings.HasPrefix(k, "%") {
					t.Errorf("%s: %q is in the catalogue but no page uses it", lang, k)
				}
			}
		})
	}
}

// TestPrinterReordersArguments: a translation may put arguments in another
// order than English (Japanese and Chinese name the market first).
func TestPrinterReordersArguments(t *testing.T) {
	t.Parallel()
	got := printer(langJA).Sprintf("%d of %d mandatory requirements met for %s.", 2, 5, "アメリカ合衆国")
	if want := "アメリカ合衆国向け：必須要件5件中2件を満たしています。"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := printer(langID).Sprintf("Search"); got != "Cari" {
		t.Errorf("Indonesian Search = %q", got)
	}
	if got := printer(langEnglish).Sprintf("Search"); got != "Search" {
		t.Errorf("English Search = %q", got)
	}
}
