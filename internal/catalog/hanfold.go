package catalog

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Simplified and traditional Chinese must meet: a buyer in Taipei or Hong
// Kong types 金貝鼓 or 錦鯉魚, a listing written in Guangzhou says 金贝鼓 or
// 锦鲤鱼. Every text, in the index, in queries and in the vocabulary, is
// folded to simplified characters, character by character, with the table
// below.
//
// The table is OpenCC's traditional-to-simplified character dictionary
// (through github.com/longbridgeapp/opencc, which embeds it), read once by
// converting every Han character on its own and keeping those that become
// exactly one other character. Character by character rather than OpenCC's
// phrase conversion because folding only has to be consistent, not
// idiomatic, and one character for one keeps the index's character pairs
// aligned with the text. Japanese kanji that are also traditional Chinese
// forms fold too (錦鯉 and 锦鲤 meet), which is what a buyer of koi wants.
var hanFold = sync.OnceValue(buildHanFold)

// hanTable is the folding table: an array for the Basic Multilingual Plane,
// where nearly all of it lies and a lookup must cost next to nothing (every
// character of every CJK text passes through it), and a map for the rest.
type hanTable struct {
	bmp  []rune // 0 where a character does not fold
	rest map[rune]rune
}

func (h *hanTable) lookup(r rune) (rune, bool) {
	if r < 0x10000 {
		to := h.bmp[r]
		return to, to != 0
	}
	to, ok := h.rest[r]
	return to, ok
}

func buildHanFold() *hanTable {
	cc, err := opencc.New("t2s")
	if err != nil {
		// The dictionaries are embedded in the library; a failure here is
		// a broken build, which the package tests catch.
		panic("catalog: OpenCC t2s: " + err.Error())
	}
	// One Convert call over all Han characters, one per line, so that the
	// library's phrase matching cannot join neighbours.
	var src []rune
	var b strings.Builder
	for _, rng := range unicode.Han.R16 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			src = append(src, r)
		}
	}
	for _, rng := range unicode.Han.R32 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			src = append(src, r)
		}
	}
	for _, r := range src {
		b.WriteRune(r)
		b.WriteByte('\n')
	}
	out, err := cc.Convert(b.String())
	if err != nil {
		panic("catalog: OpenCC t2s: " + err.Error())
	}
	lines := strings.Split(out, "\n")
	h := &hanTable{bmp: make([]rune, 0x10000), rest: map[rune]rune{}}
	if len(lines) != len(src)+1 {
		panic("catalog: OpenCC t2s changed the number of lines")
	}
	for i, r := range src {
		to, size := utf8.DecodeRuneInString(lines[i])
		if size != len(lines[i]) || to == r || to == utf8.RuneError {
			continue
		}
		if r < 0x10000 {
			h.bmp[r] = to
		} else {
			h.rest[r] = to
		}
	}
	return h
}

// foldHan replaces traditional Han characters of s by their simplified
// forms; s is returned as it is when it has none.
func foldHan(s string) string {
	var fold *hanTable
	for i, r := range s {
		if r < 0x2E80 { // below every Han block
			continue
		}
		if fold == nil {
			fold = hanFold()
		}
		if _, ok := fold.lookup(r); !ok {
			continue
		}
		var b strings.Builder
		b.Grow(len(s))
		b.WriteString(s[:i])
		for _, r := range s[i:] {
			if to, ok := fold.lookup(r); ok {
				r = to
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	return s
}
