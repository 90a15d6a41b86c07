package catalog

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// postingsInOrder fails the test when a posting list of x is not in
// ascending slot order (or holds a slot twice), which matchOne needs.
func postingsInOrder(t *testing.T, x *Index) {
	t.Helper()
	check := func(what string, ps []posting) {
		for i := 1; i < len(ps); i++ {
			if ps[i-1].id >= ps[i].id {
				t.Fatalf("%s: posting %d has slot %d after %d", what, i, ps[i].id, ps[i-1].id)
			}
		}
	}
	for term, pl := range x.terms {
		check(fmt.Sprintf("term %q", term), pl.ps)
	}
	for c := range x.cdocs {
		check(fmt.Sprintf("concept %d", c), x.cdocs[c].ps)
	}
}

// accumulated is a unit's matches the way a query of several words finds
// them (accumulate into one accumulator per slot, then fold), in slot
// order: the reference matchOne must equal.
func accumulated(x *Index, s *scratch, u *unit) []termMatch {
	s.ensure(len(x.docs))
	x.accumulate(s, u, false, 0)
	var out []termMatch
	for _, d := range s.uList {
		if sc, rb, si := fold(&s.uacc[d], u); sc > 0 {
			out = append(out, termMatch{doc: d, score: sc, why: uint16(rb) | uint16(si)<<8})
		}
	}
	slices.SortFunc(out, func(a, b termMatch) int { return int(a.doc - b.doc) })
	return out
}

// TestMatchOneEqualsAccumulate compares, for every vocabulary term and the
// words of listing titles, on a catalogue that was written to after loading
// (freed and reused slots, so postings inserted in the middle of lists),
// the block matcher with the per-slot accumulator: same listings, same
// float scores, same fields and synonyms.
func TestMatchOneEqualsAccumulate(t *testing.T) {
	t.Parallel()
	x := goldenIndex(6000, true)
	postingsInOrder(t, x)
	words := map[string]bool{}
	for _, c := range x.vocab.concepts {
		for _, term := range c.terms {
			words[term] = true
		}
	}
	for _, rec := range x.order {
		for _, w := range strings.Fields(x.Listing(rec.name).GetTitle()) {
			words[w] = true
		}
	}
	s := &scratch{}
	checked, matched := 0, 0
	for w := range words {
		p, err := parseRequest(&pb.SearchListingsRequest{Query: w}, x.vocab, x.rates)
		if err != nil || len(p.units) != 1 {
			continue
		}
		u := &p.units[0]
		want := accumulated(x, s, u)
		got := x.matchOne(s, u, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: matchOne gave %d matches, the accumulators %d (first difference at %d)", w, len(got), len(want), firstDiff(got, want))
		}
		checked++
		matched += len(got)
	}
	if checked < 100 || matched < 10_000 {
		t.Fatalf("compared %d words with %d matches: too few to mean anything", checked, matched)
	}
}

func firstDiff(a, b []termMatch) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestPostingsStayInSlotOrder writes, deletes and rewrites listings at
// random and checks after each round that every posting list is in slot
// order, and that one-word searches answer as on an index loaded afresh
// with the same listings.
func TestPostingsStayInSlotOrder(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(3, producersFor(3000), 3000, testNow)
	x := New(DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	current := map[string]*pb.Listing{} // what the index holds
	var names []string
	for _, l := range ds.Listings {
		x.PutListing(l)
		current[l.GetName()] = l
		names = append(names, l.GetName())
	}
	rng := rand.New(rand.NewPCG(7, 17))
	deleted := map[string]*pb.Listing{}
	for round := range 5 {
		for range 400 {
			name := names[rng.IntN(len(names))]
			if l, ok := deleted[name]; ok {
				x.PutListing(l)
				current[name] = l
				delete(deleted, name)
				continue
			}
			if rng.IntN(2) == 0 {
				x.DeleteListing(name)
				deleted[name] = current[name]
				delete(current, name)
				continue
			}
			l := proto.Clone(current[name]).(*pb.Listing)
			l.Title = fmt.Sprintf("Djembe koi sambal %d", rng.IntN(100))
			l.State = pb.Listing_ACTIVE
			x.PutListing(l)
			current[name] = l
		}
		postingsInOrder(t, x)
		fresh := New(DefaultVocabulary(), fx.DefaultRates())
		for _, p := range ds.Producers {
			fresh.PutProducer(p)
		}
		for _, name := range names {
			if l, ok := current[name]; ok {
				fresh.PutListing(l)
			}
		}
		for _, q := range []string{"djembe", "koi", "sambal", "monstera", "kendang", "錦鯉"} {
			req := &pb.SearchListingsRequest{Query: q, PageSize: 50}
			got, want := mustSearch(t, x, req), mustSearch(t, fresh, req)
			if got.GetTotalSize() != want.GetTotalSize() || !slices.Equal(hitNames(got), hitNames(want)) {
				t.Fatalf("round %d, %q: %d hits %v, a fresh index %d hits %v", round, q,
					got.GetTotalSize(), hitNames(got)[:min(5, len(got.GetHits()))], want.GetTotalSize(), hitNames(want)[:min(5, len(want.GetHits()))])
			}
		}
	}
}
