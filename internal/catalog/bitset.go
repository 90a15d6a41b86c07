package catalog

import "math/bits"

// bitset is a set of doc slots. Filters on discrete values (category,
// district, country, producer kind, verified producer, certificate held)
// keep one per value, so that a query narrows and counts facets with a few
// thousand word operations instead of visiting every listing.
type bitset []uint64

func (b *bitset) set(i int32) {
	w := int(i >> 6)
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w+1-len(*b))...)
	}
	(*b)[w] |= 1 << (uint(i) & 63)
}

func (b bitset) clear(i int32) {
	if w := int(i >> 6); w < len(b) {
		b[w] &^= 1 << (uint(i) & 63)
	}
}

func (b bitset) has(i int32) bool {
	w := int(i >> 6)
	return w < len(b) && b[w]&(1<<(uint(i)&63)) != 0
}

// and keeps in b only the members of o.
func (b bitset) and(o bitset) {
	n := min(len(b), len(o))
	for i := range n {
		b[i] &= o[i]
	}
	clear(b[n:])
}

// or adds the members of o to b, which must be at least as long.
func (b bitset) or(o bitset) {
	for i := range min(len(b), len(o)) {
		b[i] |= o[i]
	}
}

// andCount returns the number of members of both b and o.
func andCount(b, o bitset) int {
	n := 0
	for i := range min(len(b), len(o)) {
		n += bits.OnesCount64(b[i] & o[i])
	}
	return n
}

// count returns the number of members.
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// bitsetOf returns b resized to n words and zeroed, reusing its memory.
func bitsetOf(b bitset, n int) bitset {
	if cap(b) < n {
		return make(bitset, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// valueBits is a bitset per interned value id, with, for each, a summary
// bitset holding a bit per word of the value's bitset that has members, so
// that counting a rare value's members of a result (a country few listings
// ship to) reads the few words where it has any rather than all of them.
// Only set and clear change them, which keeps the summaries exact (a stale
// summary bit would only cost a word read).
type valueBits struct {
	sets    []bitset
	nonzero []bitset
}

func (v *valueBits) set(id uint16, doc int32) {
	for int(id) >= len(v.sets) {
		v.sets = append(v.sets, nil)
		v.nonzero = append(v.nonzero, nil)
	}
	v.sets[id].set(doc)
	v.nonzero[id].set(doc >> 6)
}

func (v valueBits) clear(id uint16, doc int32) {
	if int(id) >= len(v.sets) {
		return
	}
	b := v.sets[id]
	b.clear(doc)
	if w := int(doc >> 6); w < len(b) && b[w] == 0 {
		v.nonzero[id].clear(doc >> 6)
	}
}

func (v valueBits) get(id int) bitset {
	if id < len(v.sets) {
		return v.sets[id]
	}
	return nil
}

// len is the number of value ids with a bitset.
func (v valueBits) len() int { return len(v.sets) }

// andCount returns the number of members of value id in result, whose
// words are those of the value's bitset from word lo on. nz is result's
// summary (a bit per word with members). A value with members in many
// words is counted word by word; a rare one only in the words where both
// have members.
func (v valueBits) andCount(id int, result bitset, lo int, nz bitset) int {
	b := v.sets[id]
	if len(b) <= lo {
		return 0
	}
	b = b[lo:]
	vnz := v.nonzero[id]
	// Dense: a straight pass is cheaper than visiting words one by one.
	if words := vnz.count(); words > len(result)/8 {
		return andCount(result, b)
	}
	n := 0
	for sw, sword := range vnz {
		for sword != 0 {
			w := sw<<6 | bits.TrailingZeros64(sword)
			sword &= sword - 1
			r := w - lo
			if r < 0 {
				continue
			}
			if r >= len(result) || r >= len(b) {
				return n
			}
			if nz[r>>6]&(1<<(uint(r)&63)) != 0 {
				n += bits.OnesCount64(result[r] & b[r])
			}
		}
	}
	return n
}
