package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize folds s for matching: NFKC (full-width letters, ligatures and
// half-width kana become their plain forms), lower case, accents removed
// from Latin, Greek and Cyrillic letters ("DJÉMBÉ" is "djembe"), and
// traditional Chinese characters folded to simplified ones ("金貝鼓" is
// "金贝鼓", see hanfold.go). Combining marks after other scripts are kept:
// the voicing mark of ジ is part of the letter, and dropping it would turn
// ジャンベ into シャンヘ.
func normalize(s string) string {
	if isASCII(s) {
		return asciiLower(s)
	}
	s = strings.ToLower(norm.NFKC.String(s))
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	stripMarks := false
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			if stripMarks {
				continue
			}
		} else {
			stripMarks = r < 0x80 || unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
		}
		b.WriteRune(r)
	}
	return foldHan(norm.NFC.String(b.String()))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isCJK reports whether r belongs to a script written without spaces between
// words: Han, Hiragana and Katakana, plus the prolonged-sound mark and the
// ideographic iteration mark, which Unicode files under Common.
func isCJK(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	return r == 'ー' || r == '々' || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// token is one unit of normalised text: a word of a spaced script (already
// stemmed), or a single CJK character. run numbers the CJK runs so that
// character pairs are only formed inside one run.
type token struct {
	text string
	cjk  bool
	run  int32
}

// tokenize normalises s and cuts it into tokens, appending to dst. Words are
// split between letters and digits ("40cm" gives "40", "cm"; "ISPM15" gives
// "ispm", "15").
func tokenize(dst []token, s string) []token {
	s = normalize(s)
	var run int32 = -1
	inRun := false
	start := -1 // start of the current word, -1 outside one
	digit := false
	flush := func(end int) {
		if start >= 0 {
			dst = append(dst, token{text: stem(s[start:end])})
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case isCJK(r):
			flush(i)
			if !inRun {
				run++
				inRun = true
			}
			dst = append(dst, token{text: s[i : i+utf8.RuneLen(r)], cjk: true, run: run})
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			d := r >= '0' && r <= '9' || unicode.IsDigit(r)
			if start >= 0 && d != digit {
				flush(i)
			}
			if start < 0 {
				start = i
			}
			digit = d
		default:
			flush(i)
		}
		inRun = false
	}
	flush(len(s))
	return dst
}

// stem folds English plurals of ASCII words, the same way for listings and
// queries, so that "drums" finds "drum" and "varieties" finds "variety".
// It is deliberately timid: words under four letters, words with digits and
// endings that are rarely plurals (-ss, -us, -is) are left alone.
func stem(w string) string {
	n := len(w)
	if n < 4 || !isASCIILetters(w) || w[n-1] != 's' {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case n >= 5 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n >= 5 && (strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		return w[:n-2]
	}
	return w[:n-1]
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// stopWords are dropped from queries (unless nothing else is left) and not
// indexed: they are in most descriptions and say nothing about a product.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "of": true, "for": true,
	"with": true, "in": true, "on": true, "to": true, "from": true, "by": true,
	"or": true, "at": true, "is": true, "are": true, "be": true, "it": true,
	"its": true, "as": true, "per": true,
	"dan": true, "untuk": true, "dengan": true, "yang": true, "di": true,
	"ke": true, "dari": true, "atau": true,
}

// indexTerms turns tokens into index terms: words as they are (less stop
// words), CJK characters as unigrams and as pairs of neighbours in one run.
// fn is called once per term occurrence.
func indexTerms(toks []token, fn func(term string)) {
	for i, t := range toks {
		if !t.cjk {
			if !stopWords[t.text] {
				fn(t.text)
			}
			continue
		}
		fn(t.text)
		if i+1 < len(toks) && toks[i+1].cjk && toks[i+1].run == t.run {
			fn(t.text + toks[i+1].text)
		}
	}
}

// cjkTerms returns the terms a CJK segment of a query must all match: its
// character pairs, or the character itself when it stands alone.
func cjkTerms(chars []token) []string {
	if len(chars) == 1 {
		return []string{chars[0].text}
	}
	out := make([]string, 0, len(chars)-1)
	for i := 0; i+1 < len(chars); i++ {
		out = append(out, chars[i].text+chars[i+1].text)
	}
	return out
}

// display joins tokens back into readable text: words with spaces, CJK
// characters of one run without.
func display(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && !(t.cjk && toks[i-1].cjk && toks[i-1].run == t.run) {
			b.WriteByte(' ')
		}
		b.WriteString(t.text)
	}
	return b.String()
}
