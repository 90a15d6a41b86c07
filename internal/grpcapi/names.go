package grpcapi

import (
	"strings"

	"github.com/adiekspor/temubisnis/internal/validate"
)

// Resource names are parsed here and nowhere else. Each parser returns the ids
// of the name's segments, or ok=false for anything malformed.

// parseName matches name against a pattern such as
// "producers/{}/listings/{}" and returns the ids in order.
func parseName(name, pattern string) ([]string, bool) {
	segs := strings.Split(name, "/")
	pats := strings.Split(pattern, "/")
	if len(segs) != len(pats) {
		return nil, false
	}
	var ids []string
	for i, p := range pats {
		if p == "{}" {
			if !validate.ResourceID(segs[i]) {
				return nil, false
			}
			ids = append(ids, segs[i])
			continue
		}
		if segs[i] != p {
			return nil, false
		}
	}
	return ids, true
}

func producerName(id string) string { return "producers/" + id }

func listingName(producerID, id string) string {
	return "producers/" + producerID + "/listings/" + id
}

func buyerName(id string) string { return "buyers/" + id }

func buyingRequestName(buyerID, id string) string {
	return "buyers/" + buyerID + "/buyingRequests/" + id
}

func parseProducerName(name string) (id string, ok bool) {
	ids, ok := parseName(name, "producers/{}")
	if !ok {
		return "", false
	}
	return ids[0], true
}

func parseListingName(name string) (producerID, id string, ok bool) {
	ids, ok := parseName(name, "producers/{}/listings/{}")
	if !ok {
		return "", "", false
	}
	return ids[0], ids[1], true
}

func parseBuyerName(name string) (id string, ok bool) {
	ids, ok := parseName(name, "buyers/{}")
	if !ok {
		return "", false
	}
	return ids[0], true
}

func parseBuyingRequestName(name string) (buyerID, id string, ok bool) {
	ids, ok := parseName(name, "buyers/{}/buyingRequests/{}")
	if !ok {
		return "", "", false
	}
	return ids[0], ids[1], true
}

// parseSubject parses the name of a listing or of a producer, the two
// subjects of readiness checks and recommendations. producerID is empty when
// the name is neither; a violation on "name" says so.
func parseSubject(v *validate.Violations, name string) (producerID string, isListing bool) {
	if producerID, _, ok := parseListingName(name); ok {
		return producerID, true
	}
	if producerID, ok := parseProducerName(name); ok {
		return producerID, false
	}
	v.Add("name", "must be a listing (producers/{p}/listings/{l}) or a producer (producers/{p})")
	return "", false
}

// wildcard is the AIP-159 parent id meaning "every parent".
const wildcard = "-"
