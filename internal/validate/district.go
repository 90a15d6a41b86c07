package validate

import "strings"

// Districts are the 22 kecamatan of Kabupaten Blitar in their canonical
// spelling, in alphabetical order.
var Districts = []string{
	"Bakung", "Binangun", "Doko", "Gandusari", "Garum", "Kademangan",
	"Kanigoro", "Kesamben", "Nglegok", "Panggungrejo", "Ponggok", "Sanankulon",
	"Selopuro", "Selorejo", "Srengat", "Sutojayan", "Talun", "Udanawu",
	"Wates", "Wlingi", "Wonodadi", "Wonotirto",
}

// KotaBlitar is the city of Blitar, a separate regency-level area that the
// regency surrounds. It is accepted as a place of business: djembe
// workshops of Kampung Kendang Sentul and Tanggung and sambal makers of Turi
// and Pakunden are in the city, and consolidators' members come from both.
const KotaBlitar = "Kota Blitar"

// Places are the places of business a producer may name, in the order
// messages list them: the 22 districts, then Kota Blitar.
var Places = append(append([]string(nil), Districts...), KotaBlitar)

// districtAliases are other spellings in use, lower case, with the place
// they mean. "Ngelegok" is how the programme's own news article spells
// Nglegok; an alias is far enough from every other place that a typo of one
// is not taken for another (TestDistrictAliases checks).
var districtAliases = map[string]string{
	"ngelegok":    "Nglegok",
	"blitar city": KotaBlitar,
}

// District returns the canonical spelling of the place s names (a kecamatan
// of Kabupaten Blitar or Kota Blitar), ignoring case and surrounding spaces
// and accepting the known aliases, and whether s names one at all.
func District(s string) (canonical string, ok bool) {
	s = strings.TrimSpace(s)
	for _, d := range Places {
		if strings.EqualFold(s, d) {
			return d, true
		}
	}
	if d, ok := districtAliases[strings.ToLower(s)]; ok {
		return d, true
	}
	return "", false
}

// maxSuggestDistance is how many typing slips a district name may contain
// and still get a "did you mean". Two catches "Wlinggi" or "Ponggk"; every
// two real districts are further apart than that (TestDistricts checks), so
// a correctly spelt district is never "corrected" to another.
const maxSuggestDistance = 2

// suggestDistrict returns the district closest to s when s looks like a typo
// of one, or "" when nothing is close.
func suggestDistrict(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	best, bestDist := "", maxSuggestDistance+1
	for _, d := range Places {
		if dist := editDistance(s, strings.ToLower(d)); dist < bestDist {
			best, bestDist = d, dist
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbouring letters each cost one.
// Swaps matter because "Ngelgok" for Nglegok is the typical slip.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows are enough: a swap looks back two rows.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// checkDistrict adds a violation unless s is a district in canonical spelling.
func checkDistrict(v *Violations, path, s string) {
	if strings.TrimSpace(s) == "" {
		v.Addf(path, "is required; expected the kecamatan of Kabupaten Blitar, one of %s, or %s", strings.Join(Districts, ", "), KotaBlitar)
		return
	}
	canonical, ok := District(s)
	switch {
	case ok && canonical == s:
		return
	case ok:
		v.Addf(path, "%s must be written %q", quote(s), canonical)
	default:
		desc := quote(s) + " is not a kecamatan of Kabupaten Blitar nor Kota Blitar; expected one of " + strings.Join(Places, ", ")
		if guess := suggestDistrict(s); guess != "" {
			desc += " (did you mean " + guess + "?)"
		}
		v.Add(path, desc)
	}
}
