package matching

import (
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// SliceSource is a simple Source over a slice, indexed by category (for
// tests, benchmarks, small deployments). It does not filter by state: the
// engine does that, so that a test can hand it paused listings too.
//
// Beyond the Source interface, a SliceSource keeps every listing and
// producer compiled into flat records (see facts.go), which an Engine scans
// directly: that is what keeps Match within its latency target at 100,000
// listings. A service whose catalogue changes can rebuild a SliceSource
// from its in-memory catalogue after each change (about 100 ms at 100,000
// listings) and swap it in; an Engine is cheap to create over the new one.
type SliceSource struct {
	all []Candidate
	// byCategory is indexed by the Category enum value.
	byCategory [][]Candidate
	// byChapter holds candidates by the first two digits of their HS code
	// (the HS chapter), for requests that give only an HS prefix.
	byChapter map[string][]Candidate
	idx       *index
}

// index is a compiled catalogue: records per category, producers once each.
type index struct {
	dict
	producers  []pfacts
	byCategory [][]lfacts
}

var _ Source = (*SliceSource)(nil)

// Snapshotter is implemented by a Source that can hand out an indexed
// snapshot of itself. Match then scans the snapshot's compiled records
// instead of calling Candidates: a catalogue that changes (a map of
// listings updated by a sync) keeps its own write path and rebuilds a
// SliceSource when something has changed, and the engine stays fast
// without being recreated. A nil snapshot means "use Candidates".
type Snapshotter interface {
	Snapshot() *SliceSource
}

// NewSliceSource indexes cands. The slice is copied; the messages are not,
// and must not change while the source is in use (compiled records would
// go stale). Candidates with a nil listing are dropped.
func NewSliceSource(cands []Candidate) *SliceSource {
	s := &SliceSource{
		all:       make([]Candidate, 0, len(cands)),
		byChapter: map[string][]Candidate{},
		idx:       &index{dict: newDict()},
	}
	pidx := map[*pb.Producer]int32{}
	for _, c := range cands {
		if c.Listing == nil {
			continue
		}
		s.all = append(s.all, c)
		cat := int(c.Listing.GetCategory())
		if cat < 0 {
			continue
		}
		for len(s.byCategory) <= cat {
			s.byCategory = append(s.byCategory, nil)
			s.idx.byCategory = append(s.idx.byCategory, nil)
		}
		s.byCategory[cat] = append(s.byCategory[cat], c)
		if hs := c.Listing.GetHsCode(); len(hs) >= 2 {
			s.byChapter[hs[:2]] = append(s.byChapter[hs[:2]], c)
		}
		if c.Producer == nil {
			// Without its producer a listing's certificates cannot be
			// checked; it never qualifies, so it is not compiled.
			continue
		}
		pi, ok := pidx[c.Producer]
		if !ok {
			pi = int32(len(s.idx.producers))
			pidx[c.Producer] = pi
			s.idx.producers = append(s.idx.producers, pfacts{})
			s.idx.compileProducer(&s.idx.producers[pi], c.Producer)
		}
		var f lfacts
		s.idx.compileListing(&f, c.Listing, pi)
		s.idx.byCategory[cat] = append(s.idx.byCategory[cat], f)
	}
	return s
}

// Len returns the number of candidates.
func (s *SliceSource) Len() int { return len(s.all) }

// Candidates implements Source. With a category it returns that category
// (narrowed by hsPrefix where a listing has an HS code; listings without one
// are returned, because the engine may accept them on the category); with
// only an HS prefix, the listings whose HS code starts with it.
func (s *SliceSource) Candidates(category pb.Category, hsPrefix string, fn func(Candidate) bool) {
	var list []Candidate
	switch {
	case category != pb.Category_CATEGORY_UNSPECIFIED:
		if int(category) < 0 || int(category) >= len(s.byCategory) {
			return
		}
		list = s.byCategory[category]
	case len(hsPrefix) >= 2:
		list = s.byChapter[hsPrefix[:2]]
	default:
		list = s.all
	}
	for _, c := range list {
		if hsPrefix != "" {
			hs := c.Listing.GetHsCode()
			if hs == "" && category == pb.Category_CATEGORY_UNSPECIFIED || hs != "" && !strings.HasPrefix(hs, hsPrefix) {
				continue
			}
		}
		if !fn(c) {
			return
		}
	}
}
