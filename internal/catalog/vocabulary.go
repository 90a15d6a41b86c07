package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// defaultVocabularyJSON is the vocabulary the service ships with. See
// vocabulary.json for the format; LoadVocabulary documents how an extra file
// extends it.
//
//go:embed vocabulary.json
var defaultVocabularyJSON []byte

// DefaultVocabularyFile is the name under which errors in the embedded
// vocabulary are reported.
const DefaultVocabularyFile = "internal/catalog/vocabulary.json"

// Vocabulary maps the words buyers use, in any language, to product concepts.
// It is immutable once built and safe for concurrent use.
type Vocabulary struct {
	concepts []concept
	byID     map[string]int32
	root     *trieNode
}

// concept is one group of synonyms.
type concept struct {
	id    string
	label string
	// categories restricts which listings the concept is recognised in;
	// a bit per pb.Category, 0 for all.
	categories uint8
	// terms are the members in normalised form, in file order, once each.
	terms []string
	// narrower holds direct narrower concepts; closure is the concept
	// itself and everything narrower, transitively.
	narrower []int32
	closure  []int32
}

// trieNode is a node of the phrase trie: edges are tokens (words, or single
// CJK characters), and concepts are the concepts whose member ends here.
type trieNode struct {
	next     map[string]*trieNode
	concepts []int32
}

// conceptFile is the JSON form of one concept. A vocabulary file is an
// object with "concepts", an array of these, and an optional "comment".
type conceptFile struct {
	// ID names the concept, lower case: "djembe", "sambal-pecel".
	ID string `json:"id"`
	// Label is how match reasons name the concept; defaults to the ID.
	Label string `json:"label"`
	// Note is free text for the people who edit the file.
	Note string `json:"note"`
	// Categories, as pb.Category names, restrict the concept to listings
	// of those categories. Empty means any category.
	Categories []string `json:"categories"`
	// Terms are the members by language (BCP 47 keys; the key is for the
	// editors, matching ignores it).
	Terms map[string][]string `json:"terms"`
	// Narrower lists ids of concepts a search for this one also finds.
	Narrower []string `json:"narrower"`
}

// sourcedConcept is a concept as read, with where it came from for errors.
type sourcedConcept struct {
	conceptFile
	where string // "file:line"
}

var conceptIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// maxTermLength bounds one vocabulary member, in bytes after normalisation.
const maxTermLength = 200

// DefaultVocabulary returns the embedded vocabulary. It panics if the
// embedded file is broken, which the package tests rule out.
func DefaultVocabulary() *Vocabulary {
	v, err := buildVocabulary(defaultVocabularyJSON, DefaultVocabularyFile, nil, "")
	if err != nil {
		panic(err)
	}
	return v
}

// LoadVocabulary returns the embedded vocabulary extended by the file at
// extraPath ("" for none). The extra file has the same format as
// vocabulary.json. A concept with a new id is added; a concept with an id
// that exists already gains the terms, categories and narrower concepts the
// file gives it (and its label, when set). Errors name the file and the line
// of the offending concept.
func LoadVocabulary(extraPath string) (*Vocabulary, error) {
	if extraPath == "" {
		return buildVocabulary(defaultVocabularyJSON, DefaultVocabularyFile, nil, "")
	}
	extra, err := os.ReadFile(extraPath)
	if err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	return buildVocabulary(defaultVocabularyJSON, DefaultVocabularyFile, extra, extraPath)
}

func buildVocabulary(base []byte, baseName string, extra []byte, extraName string) (*Vocabulary, error) {
	all, err := parseVocabulary(base, baseName)
	if err != nil {
		return nil, err
	}
	if extra != nil {
		more, err := parseVocabulary(extra, extraName)
		if err != nil {
			return nil, err
		}
		all = append(all, more...)
	}
	return compileVocabulary(all)
}

// parseVocabulary decodes a vocabulary file concept by concept, so that an
// error can say on which line the concept starts.
func parseVocabulary(data []byte, name string) ([]sourcedConcept, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	fail := func(err error) ([]sourcedConcept, error) {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return nil, fmt.Errorf("vocabulary %s:%d: %w", name, lineAt(data, syn.Offset), err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("vocabulary %s:%d: %w", name, lineAt(data, typ.Offset), err)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("vocabulary %s: unexpected end of file", name)
		}
		return nil, fmt.Errorf("vocabulary %s:%d: %w", name, lineAt(data, dec.InputOffset()), err)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return fail(fmt.Errorf("expected a JSON object with a \"concepts\" array: %w", err))
	}
	var out []sourcedConcept
	sawConcepts := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		switch key {
		case "comment":
			var s string
			if err := dec.Decode(&s); err != nil {
				return fail(err)
			}
		case "concepts":
			sawConcepts = true
			if err := expectDelim(dec, '['); err != nil {
				return fail(fmt.Errorf("\"concepts\" must be an array: %w", err))
			}
			for i := 0; dec.More(); i++ {
				line := lineAt(data, skipSpace(data, dec.InputOffset()))
				var c conceptFile
				if err := dec.Decode(&c); err != nil {
					return fail(fmt.Errorf("concepts[%d]: %w", i, err))
				}
				out = append(out, sourcedConcept{conceptFile: c, where: fmt.Sprintf("%s:%d: concepts[%d]", name, line, i)})
			}
			if _, err := dec.Token(); err != nil {
				return fail(err)
			}
		default:
			return fail(fmt.Errorf("unknown key %q; expected \"concepts\" (and optionally \"comment\")", key))
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(errors.New("unexpected data after the top-level object"))
	}
	if !sawConcepts {
		return nil, fmt.Errorf("vocabulary %s: no \"concepts\" array", name)
	}
	return out, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("found %v", tok)
	}
	return nil
}

// skipSpace moves past JSON white space and a separating comma.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineAt returns the 1-based line number of a byte offset.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// compileVocabulary merges concepts by id, checks them and builds the trie.
func compileVocabulary(in []sourcedConcept) (*Vocabulary, error) {
	v := &Vocabulary{byID: make(map[string]int32), root: &trieNode{}}
	var errs []error
	narrowerNames := map[int32][]string{}
	narrowerWhere := map[int32]string{}
	seenTerm := map[int32]map[string]bool{}
	for _, sc := range in {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("vocabulary %s (%q): %s", sc.where, sc.ID, fmt.Sprintf(format, args...)))
		}
		if !conceptIDRe.MatchString(sc.ID) {
			bad("id must be 1 to 63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
			continue
		}
		idx, existed := v.byID[sc.ID]
		if !existed {
			idx = int32(len(v.concepts))
			v.byID[sc.ID] = idx
			v.concepts = append(v.concepts, concept{id: sc.ID, label: sc.ID})
			seenTerm[idx] = map[string]bool{}
		}
		c := &v.concepts[idx]
		if sc.Label != "" {
			c.label = sc.Label
		}
		for i, name := range sc.Categories {
			n, ok := pb.Category_value[name]
			if !ok || n == 0 {
				bad("categories[%d] %q is not a category; expected one of %s", i, name, categoryNames())
				continue
			}
			c.categories |= 1 << uint(n)
		}
		// An extension of an existing concept may add only narrower
		// concepts or categories; a new concept needs members.
		if len(sc.Terms) == 0 && !existed {
			bad("has no terms; expected \"terms\": {\"en\": [\"...\"]}")
		}
		langs := make([]string, 0, len(sc.Terms))
		for lang := range sc.Terms {
			langs = append(langs, lang)
		}
		sort.Strings(langs)
		for _, lang := range langs {
			for i, term := range sc.Terms[lang] {
				toks := tokenize(nil, term)
				if len(toks) == 0 {
					bad("terms[%q][%d] %q has no letters or digits", lang, i, term)
					continue
				}
				key := display(toks)
				if len(key) > maxTermLength {
					bad("terms[%q][%d] is longer than %d bytes", lang, i, maxTermLength)
					continue
				}
				if seenTerm[idx][key] {
					continue
				}
				seenTerm[idx][key] = true
				c.terms = append(c.terms, key)
				v.insert(toks, idx)
			}
		}
		narrowerNames[idx] = append(narrowerNames[idx], sc.Narrower...)
		narrowerWhere[idx] = sc.where
	}
	for idx, names := range narrowerNames {
		for _, n := range names {
			j, ok := v.byID[n]
			if !ok {
				errs = append(errs, fmt.Errorf("vocabulary %s (%q): narrower concept %q is not defined", narrowerWhere[idx], v.concepts[idx].id, n))
				continue
			}
			if j != idx && !slices.Contains(v.concepts[idx].narrower, j) {
				v.concepts[idx].narrower = append(v.concepts[idx].narrower, j)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range v.concepts {
		v.concepts[i].closure = v.closure(int32(i))
	}
	return v, nil
}

func categoryNames() string {
	var names []string
	for n := int32(1); ; n++ {
		name, ok := pb.Category_name[n]
		if !ok {
			break
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

func (v *Vocabulary) insert(toks []token, idx int32) {
	n := v.root
	for _, t := range toks {
		if n.next == nil {
			n.next = map[string]*trieNode{}
		}
		child, ok := n.next[t.text]
		if !ok {
			child = &trieNode{}
			n.next[t.text] = child
		}
		n = child
	}
	if !slices.Contains(n.concepts, idx) {
		n.concepts = append(n.concepts, idx)
	}
}

// closure returns i and every concept narrower than it, in breadth-first
// order; cycles in the file are harmless.
func (v *Vocabulary) closure(i int32) []int32 {
	out := []int32{i}
	for k := 0; k < len(out); k++ {
		for _, j := range v.concepts[out[k]].narrower {
			if !slices.Contains(out, j) {
				out = append(out, j)
			}
		}
	}
	return out
}

// match returns the concepts of the longest vocabulary member starting at
// toks[0], and its length in tokens (0 when none starts there).
func (v *Vocabulary) match(toks []token) (concepts []int32, n int) {
	node := v.root
	for i, t := range toks {
		if t.cjk && i > 0 && toks[i-1].cjk && toks[i-1].run != t.run {
			break
		}
		next, ok := node.next[t.text]
		if !ok {
			break
		}
		node = next
		if len(node.concepts) > 0 {
			concepts, n = node.concepts, i+1
		}
	}
	return concepts, n
}

// each calls fn once for every token position at which vocabulary members
// start, with the concepts of all of them (a concept once, even when
// "monstera" and "monstera deliciosa" both start there).
func (v *Vocabulary) each(toks []token, buf []int32, fn func(concepts []int32)) []int32 {
	for i := range toks {
		buf = buf[:0]
		node := v.root
		for j := i; j < len(toks); j++ {
			t := toks[j]
			if t.cjk && j > i && toks[j-1].cjk && toks[j-1].run != t.run {
				break
			}
			next, ok := node.next[t.text]
			if !ok {
				break
			}
			node = next
			for _, c := range node.concepts {
				if !slices.Contains(buf, c) {
					buf = append(buf, c)
				}
			}
		}
		if len(buf) > 0 {
			fn(buf)
		}
	}
	return buf
}

// Len returns the number of concepts.
func (v *Vocabulary) Len() int { return len(v.concepts) }

// Expand returns the concepts a word or phrase names, by id, with all the
// members of each and of its narrower concepts, in normalised form. It
// returns nil when the vocabulary does not know the phrase. It exists for
// tests and for tools that show the vocabulary.
func (v *Vocabulary) Expand(phrase string) map[string][]string {
	toks := tokenize(nil, phrase)
	concepts, n := v.match(toks)
	if n != len(toks) || n == 0 {
		return nil
	}
	out := map[string][]string{}
	for _, c := range concepts {
		var terms []string
		for _, k := range v.concepts[c].closure {
			terms = append(terms, v.concepts[k].terms...)
		}
		out[v.concepts[c].id] = terms
	}
	return out
}

// allows reports whether concept c may be recognised in a listing of
// category cat.
func (c *concept) allows(cat uint8) bool {
	return c.categories == 0 || c.categories&(1<<cat) != 0
}
