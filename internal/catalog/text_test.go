package catalog

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"DJÉMBÉ", "djembe"},
		{"Djembé", "djembe"},
		{"ＤＪＥＭＢＥ", "djembe"}, // full-width Latin
		{"ジャンベ", "ジャンベ"},     // the voicing mark stays
		{"ｼﾞｬﾝﾍﾞ", "ジャンベ"},   // half-width kana
		{"非洲鼓", "非洲鼓"},
		// Traditional Chinese folds to simplified (OpenCC's table), also
		// inside Japanese text.
		{"金貝鼓", "金贝鼓"},
		{"傑貝鼓", "杰贝鼓"},
		{"錦鯉魚", "锦鲤鱼"},
		{"沙爹醬", "沙爹酱"},
		{"綠植", "绿植"},
		{"ヒレナガ錦鯉", "ヒレナガ锦鲤"},
		{"黄金", "黄金"}, // already simplified: unchanged
		{"Ñandú Çà", "nandu ca"},
		{"plain ascii", "plain ascii"},
	} {
		if got := normalize(tc.in); got != tc.want {
			t.Errorf("normalize(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func texts(toks []token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Djembe 40cm, mahogany/goatskin", []string{"djembe", "40", "cm", "mahogany", "goatskin"}},
		{"Kids' drums", []string{"kid", "drum"}},
		{"ISPM15 crates", []string{"ispm", "15", "crate"}},
		{"glass varieties boxes", []string{"glass", "variety", "box"}},
		{"手工非洲鼓 djembe", []string{"手", "工", "非", "洲", "鼓", "djembe"}},
	} {
		if got := texts(tokenize(nil, tc.in)); !slices.Equal(got, tc.want) {
			t.Errorf("tokenize(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestIndexTermsCJK(t *testing.T) {
	var got []string
	indexTerms(tokenize(nil, "非洲鼓 and 錦鯉"), func(term string) { got = append(got, term) })
	want := []string{"非", "非洲", "洲", "洲鼓", "鼓", "锦", "锦鲤", "鲤"}
	if !slices.Equal(got, want) {
		t.Errorf("terms = %q; want %q (pairs only inside a run, stop word dropped, traditional folded)", got, want)
	}
}
