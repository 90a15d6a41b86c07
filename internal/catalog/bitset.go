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

// valueBits is a bitset per interned value id.
type valueBits []bitset

func (v *valueBits) set(id uint16, doc int32) {
	for int(id) >= len(*v) {
		*v = append(*v, nil)
	}
	(*v)[id].set(doc)
}

func (v valueBits) clear(id uint16, doc int32) {
	if int(id) < len(v) {
		v[id].clear(doc)
	}
}

func (v valueBits) get(id int) bitset {
	if id < len(v) {
		return v[id]
	}
	return nil
}
