package matching

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
)

// Match ranks the listings for a buying request (buyer may be nil; it
// gives the destination when the request names none). limit is the number
// of matches returned (default 20, max 100).
//
// The response shares Listing messages with the Source; clone them before
// changing them. A Source that is a Hydrator gives whole listings for the
// Essentials it ranked.
func (e *Engine) Match(req *pb.BuyingRequest, buyer *pb.Buyer, limit int) *pb.MatchBuyingRequestResponse {
	resp := &pb.MatchBuyingRequestResponse{}
	if req == nil || e.src == nil {
		return resp
	}
	limit = normalizeLimit(limit)
	m := e.getMatcher()
	defer e.putMatcher(m)
	idx := e.compiledIndex()
	m.useIndex(idx)
	if !m.setQuery(req, buyer, e.now()) {
		return resp
	}
	if idx != nil {
		m.scanIndex()
	} else {
		m.scan()
	}
	resp.QualifiedCount = int32(min(len(m.quals), 1<<31-1))
	for _, qi := range m.top(limit) {
		resp.Matches = append(resp.Matches, m.listingMatch(qi))
	}
	if len(m.quals) < HintThreshold {
		resp.Relaxations = m.hints()
	}
	resp.GroupProposal = m.groupProposal()
	if h, ok := e.src.(Hydrator); ok {
		hydrate(resp, h)
	}
	return resp
}

// compiledIndex returns the compiled index to scan: the Source's own for a
// SliceSource, its snapshot's for a Snapshotter, nil for any other Source.
func (e *Engine) compiledIndex() *index {
	switch s := e.src.(type) {
	case indexed:
		return s.compiled()
	case Snapshotter:
		if snap := s.Snapshot(); snap != nil {
			return snap.idx
		}
	}
	return nil
}

// scan walks the Source's candidates once, compiling each on the fly:
// hard constraints for each, the score for those that qualify, and a note
// of those that fail exactly one relaxable constraint (for the hints).
func (m *matcher) scan() {
	q := &m.q
	prefix := q.prefix
	if q.category != pb.Category_CATEGORY_UNSPECIFIED {
		// Listings of the category outside the prefix are needed to count
		// the HS hint; the engine filters the prefix itself.
		prefix = ""
	}
	m.e.src.Candidates(q.category, prefix, func(c Candidate) bool {
		if c.Listing == nil || c.Producer == nil {
			// Without its producer a listing's certificates cannot be
			// checked.
			return true
		}
		m.idx.compileListing(&m.tmp, c.Listing, -1)
		if _, fatal := m.checkListing(&m.tmp); fatal {
			return true
		}
		m.tmp.prod = m.addProducer(c.Producer)
		if m.consider(&m.tmp) {
			m.quals[len(m.quals)-1].f = m.keep(&m.tmp)
		}
		return true
	})
}

// scanIndex is scan over a compiled index: the same checks on records that
// were compiled when the SliceSource was built.
func (m *matcher) scanIndex() {
	q := &m.q
	lists := m.idx.byCategory
	if q.category != pb.Category_CATEGORY_UNSPECIFIED {
		if q.category < 0 || int(q.category) >= len(lists) {
			return // a category no listing has
		}
		lists = lists[q.category : q.category+1]
	}
	for _, list := range lists {
		for i := range list {
			m.consider(&list[i])
		}
	}
}

// consider applies the hard constraints to f and scores it if it
// qualifies; it reports whether f was added to the qualifying listings.
func (m *matcher) consider(f *lfacts) bool {
	fails, fatal := m.checkListing(f)
	if fatal {
		return false
	}
	pi := m.pinfo(f.prod)
	pf, fatal := m.checkProducer(pi)
	if fatal {
		return false
	}
	fails |= pf
	if fails != 0 {
		if fails&(fails-1) == 0 {
			m.near = append(m.near, nearMiss{bit: bits.TrailingZeros64(fails), prod: f.prod})
		}
		return false
	}
	m.quals = append(m.quals, qual{f: f, score: m.score(f, pi)})
	return true
}

// better reports whether qualifying listing a ranks above b: higher score,
// then listing name, so that equal scores always come out in one order.
func (m *matcher) better(a, b int32) bool {
	qa, qb := &m.quals[a], &m.quals[b]
	if qa.score != qb.score {
		return qa.score > qb.score
	}
	return qa.f.l.GetName() < qb.f.l.GetName()
}

func (m *matcher) compare(a, b int32) int {
	if m.better(a, b) {
		return -1
	}
	if m.better(b, a) {
		return 1
	}
	return 0
}

// top returns the indices of the best limit qualifying listings, best
// first, with at most e.perProducer listings of one producer.
//
// A bounded heap keeps the best limit*perProducer listings in one pass;
// walking those in order and skipping producers at their cap gives the
// right answer unless one producer held so many of the top places that the
// walk runs dry, in which case the full list is sorted (rare: it needs a
// producer with more listings near the top than the heap holds).
func (m *matcher) top(limit int) []int32 {
	n := len(m.quals)
	if n == 0 {
		return nil
	}
	per := m.e.perProducer
	size := limit
	if per > 0 {
		size = limit * per
	}
	var cands []int32
	if size >= n {
		cands = m.allSorted()
	} else {
		cands = m.bestHeap(size)
	}
	out := m.walk(cands, limit, per)
	if len(out) < limit && len(cands) < n {
		out = m.walk(m.allSorted(), limit, per)
	}
	return out
}

func (m *matcher) allSorted() []int32 {
	m.order = m.order[:0]
	for i := range m.quals {
		m.order = append(m.order, int32(i))
	}
	slices.SortFunc(m.order, m.compare)
	return m.order
}

// bestHeap keeps the best size listings in a min-heap whose root is the
// worst kept, so most candidates cost one comparison.
func (m *matcher) bestHeap(size int) []int32 {
	h := m.heap[:0]
	for i := range m.quals {
		x := int32(i)
		if len(h) < size {
			h = append(h, x)
			// Sift up: the parent must be worse than its children.
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if !m.better(h[p], h[j]) {
					break
				}
				h[p], h[j] = h[j], h[p]
				j = p
			}
			continue
		}
		if !m.better(x, h[0]) {
			continue
		}
		h[0] = x
		for j := 0; ; {
			l, r, w := 2*j+1, 2*j+2, j
			if l < len(h) && m.better(h[w], h[l]) {
				w = l
			}
			if r < len(h) && m.better(h[w], h[r]) {
				w = r
			}
			if w == j {
				break
			}
			h[j], h[w] = h[w], h[j]
			j = w
		}
	}
	m.heap = h
	slices.SortFunc(h, m.compare)
	return h
}

func (m *matcher) walk(order []int32, limit, per int) []int32 {
	out := make([]int32, 0, limit)
	var count map[int32]int
	if per > 0 {
		count = make(map[int32]int, limit)
	}
	for _, qi := range order {
		if len(out) == limit {
			break
		}
		if per > 0 {
			pi := m.quals[qi].f.prod
			if count[pi] >= per {
				continue
			}
			count[pi]++
		}
		out = append(out, qi)
	}
	return out
}

// listingMatch builds the full breakdown of a qualifying listing.
func (m *matcher) listingMatch(qi int32) *pb.ListingMatch {
	f := m.quals[qi].f
	criteria, total := m.breakdown(f, m.pinfo(f.prod))
	return &pb.ListingMatch{
		Listing:  f.l,
		Producer: summary(m.idx.producers[f.prod].p, m.q.today),
		Score:    total,
		Criteria: criteria,
	}
}

// summary is the public face of a producer in a match.
func summary(p *pb.Producer, today int) *pb.ProducerSummary {
	s := &pb.ProducerSummary{
		Name:              p.GetName(),
		DisplayName:       p.GetDisplayName(),
		District:          p.GetDistrict(),
		Kind:              p.GetKind(),
		VerificationState: p.GetVerificationState(),
		ExportsInOwnName:  p.GetExportsInOwnName(),
	}
	for _, c := range p.GetCertifications() {
		if t := c.GetType(); t != "" && !slices.Contains(s.CertificationTypes, t) && certValidOn(c, today) {
			s.CertificationTypes = append(s.CertificationTypes, t)
		}
	}
	slices.Sort(s.CertificationTypes)
	for _, r := range p.GetExportHistory() {
		if c := r.GetCountryCode(); c != "" && !slices.Contains(s.ExportCountryCodes, c) {
			s.ExportCountryCodes = append(s.ExportCountryCodes, c)
		}
	}
	slices.Sort(s.ExportCountryCodes)
	return s
}

// hints counts, for each relaxable constraint, the listings that fail only
// that one: exactly the listings that would qualify if it were dropped.
// Constraints that would add nothing are left out: a hint must say what to
// relax. Most additional listings first.
func (m *matcher) hints() []*pb.RelaxationHint {
	q := &m.q
	type tally struct {
		listings  int
		producers map[int32]bool
	}
	counts := map[int]*tally{}
	for _, n := range m.near {
		t := counts[n.bit]
		if t == nil {
			t = &tally{producers: map[int32]bool{}}
			counts[n.bit] = t
		}
		t.listings++
		t.producers[n.prod] = true
	}
	var out []*pb.RelaxationHint
	for bit, t := range counts {
		h := &pb.RelaxationHint{AdditionalListings: int32(min(t.listings, 1<<31-1))}
		who := fmt.Sprintf("%d more %s", t.listings, producerWord(q.wordCategory, t.listings))
		if len(t.producers) != t.listings {
			who = fmt.Sprintf("%d more listings from %d %s", t.listings, len(t.producers), producerWord(q.wordCategory, len(t.producers)))
		}
		switch {
		case bit == bitProduct:
			h.Constraint, h.Value = "product", q.prefix
			h.Explanation = fmt.Sprintf("%s if other HS codes in %s were accepted, not only %s.", who, categoryName(q.category), q.prefix)
		case bit == bitDest:
			h.Constraint, h.Value = "destination", q.dest
			h.Explanation = fmt.Sprintf("%s if the destination %s were dropped: their listings do not name %s as a country they ship to, so ask whether they can.",
				who, countryName(q.dest), countryName(q.dest))
		default:
			h.Constraint, h.Value = "certification", q.required[bit-bitCert0]
			h.Explanation = fmt.Sprintf("%s if the %s were not required.", who, h.Value)
		}
		out = append(out, h)
	}
	order := map[string]int{"product": 0, "destination": 1, "certification": 2}
	slices.SortFunc(out, func(a, b *pb.RelaxationHint) int {
		if c := cmp.Compare(b.GetAdditionalListings(), a.GetAdditionalListings()); c != 0 {
			return c
		}
		if c := cmp.Compare(order[a.GetConstraint()], order[b.GetConstraint()]); c != 0 {
			return c
		}
		return cmp.Compare(a.GetValue(), b.GetValue())
	})
	return out
}

// certValidOn reports whether certificate c is in force on day (certday).
func certValidOn(c *pb.Certification, day int) bool {
	return certday.InForce(c, certday.Day(day))
}
