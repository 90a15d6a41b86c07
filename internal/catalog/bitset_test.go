package catalog

import (
	"math/rand/v2"
	"testing"
)

// TestValueBitsCount counts values of every density (one member in a
// hundred thousand to most slots) against results of every density, with
// members set and cleared at random, and compares with a plain count over
// the slots; the summaries must follow every clear.
func TestValueBitsCount(t *testing.T) {
	t.Parallel()
	const slots = 40_000
	rng := rand.New(rand.NewPCG(3, 5))
	var vb valueBits
	member := make([]map[int32]bool, 6)
	density := []float64{0.00005, 0.0005, 0.005, 0.05, 0.3, 0.9}
	for id := range member {
		member[id] = map[int32]bool{}
		for d := range int32(slots) {
			if rng.Float64() < density[id] {
				vb.set(uint16(id), d)
				member[id][d] = true
			}
		}
	}
	for round := range 30 {
		// Clear some members, down to none for the rarest value.
		for id := range member {
			for d := range member[id] {
				if rng.IntN(4) == 0 || id == 0 && round > 20 {
					vb.clear(uint16(id), d)
					delete(member[id], d)
				}
			}
		}
		result := bitsetOf(nil, slots/64+1)
		p := []float64{0.0001, 0.01, 0.2, 1}[round%4]
		for d := range int32(slots) {
			if rng.Float64() < p {
				result.set(d)
			}
		}
		lo, hi := 0, len(result)
		for lo < hi && result[lo] == 0 {
			lo++
		}
		for hi > lo && result[hi-1] == 0 {
			hi--
		}
		trimmed := result[lo:hi]
		nz := make(bitset, (len(trimmed)+63)/64)
		for w, word := range trimmed {
			if word != 0 {
				nz[w>>6] |= 1 << (uint(w) & 63)
			}
		}
		for id := range member {
			want := 0
			for d := range member[id] {
				if result.has(d) {
					want++
				}
			}
			if got := vb.andCount(id, trimmed, lo, nz); got != want {
				t.Fatalf("round %d, value %d (density %v), result density %v: counted %d, want %d", round, id, density[id], p, got, want)
			}
		}
	}
}
