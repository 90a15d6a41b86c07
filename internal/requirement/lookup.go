package requirement

import (
	"cmp"
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Applicable returns the requirements that apply to a product (hsCode
// and/or category; at least one given, otherwise nil) shipped to dest,
// ordered most specific first: rows with a longer matching hs_prefix first,
// then category-only rows; within that, destination-specific rows before
// exit-side (empty destination) rows; then by name for stability.
//
// A row applies when its hs_prefix (if set) is a prefix of hsCode, its
// category (if set) equals the product's category, and its destination is
// dest or empty. An empty dest therefore returns only exit-side rows.
//
// When the product is given only as a category, a row with an hs_prefix
// applies if the row's category equals it; a row with an hs_prefix and no
// category cannot apply then, which is why every catalogue row names a
// category.
//
// When the product is given only as an HS code, its category is taken from
// the code where the code settles it (0301 ornamental fish, 0602 plants,
// chapter 92 instruments, chapters 16 to 21 processed food), because
// otherwise no catalogue row, all of which name a category, could ever
// apply. Where the code does not settle it, rows are matched on their
// hs_prefix alone and category-only rows are left out.
//
// The returned slice is new; its elements are the rows of all, not copies.
// Nil elements of all are skipped.
func Applicable(all []*pb.Requirement, hsCode string, category pb.Category, dest string) []*pb.Requirement {
	if hsCode == "" && category == pb.Category_CATEGORY_UNSPECIFIED {
		return nil
	}
	if category == pb.Category_CATEGORY_UNSPECIFIED {
		category = categoryOfHS(hsCode)
	}
	var out []*pb.Requirement
	for _, r := range all {
		if r != nil && applies(r, hsCode, category, dest) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, moreSpecific)
	return out
}

func applies(r *pb.Requirement, hsCode string, category pb.Category, dest string) bool {
	if d := r.GetDestinationCountryCode(); d != "" && d != dest {
		return false
	}
	prefix, rowCategory := r.GetHsPrefix(), r.GetCategory()
	if prefix == "" && rowCategory == pb.Category_CATEGORY_UNSPECIFIED {
		// Validation rejects such a row; should one reach us anyway it must
		// not apply to every product there is.
		return false
	}
	if prefix != "" {
		switch {
		case hsCode != "":
			if !strings.HasPrefix(hsCode, prefix) {
				return false
			}
		case rowCategory == pb.Category_CATEGORY_UNSPECIFIED:
			// Only a category is known, and this row speaks only of codes.
			return false
		}
	}
	if rowCategory != pb.Category_CATEGORY_UNSPECIFIED {
		switch {
		case category != pb.Category_CATEGORY_UNSPECIFIED:
			return rowCategory == category
		case prefix == "":
			// The product's category is unknown: a category-only row could
			// be about anything.
			return false
		}
	}
	return true
}

// moreSpecific orders rows as Applicable documents. Every row compared has
// already matched, so a longer prefix is a closer match.
func moreSpecific(a, b *pb.Requirement) int {
	if c := cmp.Compare(len(b.GetHsPrefix()), len(a.GetHsPrefix())); c != 0 {
		return c
	}
	if c := cmp.Compare(isExitSide(a), isExitSide(b)); c != 0 {
		return c
	}
	return cmp.Compare(a.GetName(), b.GetName())
}

// isExitSide reports whether r is a rule of the exporting side, 1 or 0 so
// that it sorts after destination rules.
func isExitSide(r *pb.Requirement) int {
	if r.GetDestinationCountryCode() == "" {
		return 1
	}
	return 0
}

// categoryOfHS returns the category an HS code settles, or
// CATEGORY_UNSPECIFIED. The fish, plant and instrument prefixes are the ones
// validate uses to check a listing's code against its category; chapters 16
// to 21 (prepared foodstuffs) are what Category FOOD means by processed
// food. Handicraft spans too many chapters to guess.
func categoryOfHS(hsCode string) pb.Category {
	switch {
	case strings.HasPrefix(hsCode, "0301"):
		return pb.Category_ORNAMENTAL_FISH
	case strings.HasPrefix(hsCode, "0602"):
		return pb.Category_ORNAMENTAL_PLANT
	case strings.HasPrefix(hsCode, "92"):
		return pb.Category_MUSICAL_INSTRUMENT
	}
	if len(hsCode) < 2 || !isDigit(hsCode[0]) || !isDigit(hsCode[1]) {
		return pb.Category_CATEGORY_UNSPECIFIED
	}
	if chapter := hsCode[:2]; chapter >= "16" && chapter <= "21" {
		return pb.Category_FOOD
	}
	return pb.Category_CATEGORY_UNSPECIFIED
}

// HasUnconfirmed reports whether any of rows is still TO_VERIFY, so that an
// answer built from them can say that it rests partly on unconfirmed facts.
func HasUnconfirmed(rows []*pb.Requirement) bool {
	return slices.ContainsFunc(rows, func(r *pb.Requirement) bool {
		return r.GetConfirmation() == pb.Requirement_TO_VERIFY
	})
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
