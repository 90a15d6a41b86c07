// Package seed holds the demo data set that the server loads into an empty
// embedded database: fictional Blitar producers, their listings, foreign
// buyers and their buying requests, shaped after the facts in
// shared/domain/FACTS.md (djembe from Nglegok, Garum and Kanigoro, koi,
// ornamental plants, sambal pecel for Hong Kong).
//
// Every firm, person, phone number and e-mail address is invented. E-mail
// addresses and web sites use the reserved ".example" top-level domain so that
// nobody writes to a real mailbox by accident; phone numbers have to be valid
// numbers for their country (the API checks them), so they cannot be reserved
// ones.
package seed

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Dataset is the demo data: every message has its resource name set; output-only fields
// (create_time, update_time, etag) are left empty; verification_state and listing/request state ARE set.
type Dataset struct {
	Producers      []*pb.Producer
	Listings       []*pb.Listing
	Buyers         []*pb.Buyer
	BuyingRequests []*pb.BuyingRequest
}

// Demo returns the demo data set; dates that must lie in the future (needed_by_date, expire_time,
// certificate expiry) are computed from now so the data stays valid whenever it is loaded.
//
// Certificate issue and expiry dates are relative to now as well, so that the
// set always has valid, soon-expiring and expired certificates in the same
// proportions. Export history uses fixed calendar years (2021-2025), which is
// what the trade office's records hold. The result depends only on now.
func Demo(now time.Time) *Dataset {
	c := newClock(now)
	return &Dataset{
		Producers:      producers(c),
		Listings:       listings(),
		Buyers:         buyers(c),
		BuyingRequests: buyingRequests(c),
	}
}
