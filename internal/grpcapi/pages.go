package grpcapi

import (
	"strconv"

	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// Computed lists (a ranking, training needs, expiring certificates) are
// built afresh on every call, from the whole catalogue, so they have no
// stored key to page by. Their page tokens carry the position of the next
// item instead, bound like every token to the query that made them: a page
// may repeat or skip an item when the data changed in between, which is
// acceptable for advice, not for a stored collection (those page by key).

// offsetPage is the page of a computed list that a request asks for.
type offsetPage struct {
	offset, size int
	fingerprint  string
}

// pageOf validates page_size (1 to max, 0 meaning def) and page_token, adding
// violations to v.
func pageOf(v *validate.Violations, size int32, def, max int, token string, queryParts ...string) offsetPage {
	p := offsetPage{size: int(size), fingerprint: query.Fingerprint(queryParts...)}
	switch {
	case size == 0:
		p.size = def
	case size < 0 || int(size) > max:
		v.Addf("page_size", "is %d; expected 1 to %d, or 0 for the default of %d", size, max, def)
		p.size = def
	}
	after, err := query.DecodePageToken(token, p.fingerprint)
	if err != nil {
		v.Add("page_token", err.Error())
		return p
	}
	if after != "" {
		n, err := strconv.Atoi(after)
		if err != nil || n < 0 {
			v.Add("page_token", "is not a token this service issued")
			return p
		}
		p.offset = n
	}
	return p
}

// end is the position after the page.
func (p offsetPage) end() int { return p.offset + p.size }

// cut returns the page of items (which may hold more than the page, the
// whole list or its first end()+1 items) and the token of the next page,
// empty on the last one.
func cut[T any](p offsetPage, items []T) ([]T, string) {
	if p.offset >= len(items) {
		return nil, ""
	}
	page := items[p.offset:min(p.end(), len(items))]
	if len(items) <= p.end() {
		return page, ""
	}
	return page, query.EncodePageToken(strconv.Itoa(p.end()), p.fingerprint)
}
