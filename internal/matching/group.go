package matching

import (
	"cmp"
	"fmt"
	"slices"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// groupWeightScore is the share of the match score in the order in which
// group members are picked; the rest is the share of the request a member
// can supply. Capacity counts as much as quality because fewer members mean
// fewer contracts, inspections and packing lists for the buyer.
const groupWeightScore = 0.5

// member is a candidate of a group proposal.
type member struct {
	qi int32
	// lo and hi bound the allotted quantity: the minimum order (at least 1)
	// and what the listing can supply by the needed-by date (at most the
	// quantity requested).
	lo, hi int64
	key    float64
	// workshops are the producer and, for a consolidator, its members:
	// the makers whose output this member would count.
	workshops []string
	allot     int64
}

// groupProposal proposes several producers together when no single
// qualifying listing can supply the quantity by the needed-by date.
//
// Only listings whose capacity by the date is known take part: a group
// built on a guess could promise the buyer goods nobody can make (missing
// data never counts). Each producer takes part with at most one listing,
// its best, since its listings share one workshop's capacity. A
// consolidator never joins together with one of its own member producers,
// nor two consolidators that share a member: that would count the same
// workshop twice.
//
// The heuristic, in the order the trade office would work:
//
//  1. Order the usable listings by half their match score plus half the
//     share of the request each can supply.
//  2. Take them in that order, skipping any that would count a workshop
//     already in the group or whose minimum order no longer fits, until
//     their capacities together reach the quantity.
//  3. Give every member its minimum order, then fill up the best members
//     first, up to their capacity, until the quantities add up exactly.
//  4. Try to drop the member with the smallest share while the rest still
//     reach the quantity, and repeat: fewer members, fewer contracts.
//
// When even all usable producers together fall short, the proposal lists
// them with everything each can supply and covers_request is false. A group
// needs at least two members; otherwise there is no proposal.
func (m *matcher) groupProposal() *pb.GroupProposal {
	q := &m.q
	if q.qty <= 0 || len(m.quals) == 0 {
		return nil
	}
	// The best listing of each producer, by producer index; stamped with
	// the request's generation so that the slice is reused without clearing.
	if n := len(m.idx.producers); len(m.pbest) < n {
		m.pbest = append(m.pbest, make([]groupRef, n-len(m.pbest))...)
	}
	cands := m.members[:0]
	unknownCap := 0
	for i := range m.quals {
		qu := &m.quals[i]
		f := qu.f
		capBy, _, known := m.capacity(f)
		if !known || f.unit != q.unitID {
			unknownCap++
			continue
		}
		mo := f.moq
		if capBy >= q.qty && mo <= q.qty {
			return nil // one listing can supply it alone
		}
		lo := max(mo, 1)
		if capBy < lo {
			continue
		}
		hi := min(capBy, q.qty)
		c := member{
			qi:  int32(i),
			lo:  lo,
			hi:  hi,
			key: groupWeightScore*qu.score + (1-groupWeightScore)*float64(hi)/float64(q.qty),
		}
		ref := &m.pbest[f.prod]
		if ref.gen == m.gen {
			if m.memberBefore(&c, &cands[ref.g]) {
				cands[ref.g] = c
			}
			continue
		}
		*ref = groupRef{gen: m.gen, g: int32(len(cands))}
		cands = append(cands, c)
	}
	m.members = cands
	slices.SortFunc(cands, func(a, b member) int {
		if m.memberBefore(&a, &b) {
			return -1
		}
		if m.memberBefore(&b, &a) {
			return 1
		}
		return 0
	})

	var group []member
	counted := map[string]bool{}
	var sumLo, sumHi int64
	for _, c := range cands {
		if sumHi >= q.qty {
			break
		}
		f := m.quals[c.qi].f
		p := m.idx.producers[f.prod].p
		c.workshops = append([]string{producerKey(p, f.l)}, confirmedMembers(p)...)
		if slices.ContainsFunc(c.workshops, func(w string) bool { return counted[w] }) {
			continue
		}
		if sumLo+c.lo > q.qty {
			// Its minimum order would push the group past the quantity.
			continue
		}
		for _, w := range c.workshops {
			counted[w] = true
		}
		group = append(group, c)
		sumLo += c.lo
		sumHi += c.hi
	}
	if len(group) < 2 {
		return nil
	}
	covers := sumHi >= q.qty
	if covers {
		group = m.trim(group)
	} else {
		for i := range group {
			group[i].allot = group[i].hi
		}
	}
	return m.describeGroup(group, covers, unknownCap)
}

// memberBefore orders group candidates: higher key, then listing name.
func (m *matcher) memberBefore(a, b *member) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return m.quals[a.qi].f.l.GetName() < m.quals[b.qi].f.l.GetName()
}

// producerKey identifies a producer for the group rules.
func producerKey(p *pb.Producer, l *pb.Listing) string {
	if n := p.GetName(); n != "" {
		return n
	}
	return l.GetName()
}

// allot gives each member its minimum and fills up the members in order
// (best first) until the quantities add up to the request.
func (m *matcher) allot(group []member) {
	rest := m.q.qty
	for i := range group {
		group[i].allot = group[i].lo
		rest -= group[i].lo
	}
	for i := range group {
		add := min(rest, group[i].hi-group[i].allot)
		group[i].allot += add
		rest -= add
	}
}

// trim allots the quantities and drops the smallest contributions while
// the others can still cover the request. Dropping a member lowers the sum
// of minimum orders, so the rest stays feasible.
func (m *matcher) trim(group []member) []member {
	for {
		m.allot(group)
		var sumHi int64
		for _, g := range group {
			sumHi += g.hi
		}
		idx := make([]int, len(group))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(group[a].allot, group[b].allot) })
		dropped := false
		for _, i := range idx {
			if sumHi-group[i].hi >= m.q.qty {
				group = slices.Delete(group, i, i+1)
				dropped = true
				break
			}
		}
		if !dropped {
			return group
		}
	}
}

func (m *matcher) describeGroup(group []member, covers bool, unknownCap int) *pb.GroupProposal {
	q := &m.q
	slices.SortStableFunc(group, func(a, b member) int {
		if c := cmp.Compare(b.allot, a.allot); c != 0 {
			return c
		}
		return cmp.Compare(m.quals[a.qi].f.l.GetName(), m.quals[b.qi].f.l.GetName())
	})
	gp := &pb.GroupProposal{CoversRequest: covers}
	parts := make([]string, 0, len(group))
	for _, g := range group {
		gp.Members = append(gp.Members, &pb.GroupMember{Match: m.listingMatch(g.qi), AllottedQuantity: g.allot})
		gp.TotalQuantity += g.allot
		p := m.idx.producers[m.quals[g.qi].f.prod].p
		name := p.GetDisplayName()
		if name == "" {
			name = p.GetName()
		}
		parts = append(parts, fmt.Sprintf("%s %s", name, thousands(g.allot)))
	}
	unit := q.req.GetUnit()
	word := producerWord(q.wordCategory, len(group))
	by := "by " + formatDay(q.neededBy)
	if !q.hasNeededBy {
		by = fmt.Sprintf("within %d days", DefaultHorizonDays)
	}
	if covers {
		gp.Explanation = fmt.Sprintf("No single producer can supply %s %s, but %d %s together can: %s. Each share is at least the producer's minimum order and at most what it can make by then.",
			quantityOf(q.qty, unit), by, len(group), word, joinAnd(parts))
	} else {
		gp.Explanation = fmt.Sprintf("Even all %d %s that can take part together can supply only %s of the %s requested %s: %s.",
			len(group), word, thousands(gp.TotalQuantity), quantityOf(q.qty, unit), by, joinAnd(parts))
	}
	if unknownCap > 0 {
		gp.Explanation += fmt.Sprintf(" %d other qualifying %s not counted because %s not state %s capacity and lead time in the requested unit.",
			unknownCap, pluralWord(unknownCap, "listing was", "listings were"), pluralWord(unknownCap, "it does", "they do"), pluralWord(unknownCap, "its", "their"))
	}
	return gp
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// confirmedMembers are the members of a consolidator that count in a group:
// those of a VERIFIED consolidator, whose member list the trade office
// checked (a self-edit of the list sends it back to review). A consolidator
// could otherwise list any producers without their consent and so keep
// their own listings out of every group it is in (issue 10 item 15).
func confirmedMembers(p *pb.Producer) []string {
	if p.GetVerificationState() != pb.VerificationState_VERIFIED {
		return nil
	}
	return p.GetMemberProducers()
}
