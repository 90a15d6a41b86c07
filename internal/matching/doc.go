// Package matching is the matching engine of Adi Ekspor: it ranks the
// listings of Blitar producers for a foreign buyer's buying request
// (Engine.Match) and, the other way round, the open buying requests for a
// producer's listings (Engine.Recommend). Every rank comes with a
// per-criterion explanation in plain English that a trade-office officer
// can read aloud to a producer. The package is pure: no database, no
// network, the clock passed in.
//
// # Step 1: who can take part at all (hard constraints)
//
// A listing takes part only if all of these hold. A listing that breaks one
// is left out, whatever its other qualities.
//
//   - It is ACTIVE (not a draft, paused or archived).
//   - It is the product asked for. If the request names a category, the
//     listing has that category. If the request names an HS code prefix,
//     the listing's HS code starts with it. A listing without an HS code
//     can still qualify when the request also names a category and the
//     category is the same; its product closeness is then only PARTIAL.
//   - Its producer holds every certification type the request requires,
//     valid today (see below). An expired certificate counts as missing.
//   - It ships to the destination: the request's destination country, or
//     the buyer's country when the request names none. A listing that
//     states no ship-to countries cannot be confirmed and is left out:
//     missing data never counts as a match.
//   - Its producer is known (without the producer, certificates cannot be
//     checked).
//
// Certificate validity. A required certificate must be valid on the day
// of matching, counted in Blitar time (WIB): valid through its expiry date,
// never valid with a malformed date, always valid without one. It does not
// have to last until the needed-by date. Fish health certificates and CKIB
// are renewed routinely, in less time than most needed-by dates lie ahead,
// so requiring validity until then would hide farms that can ship (in the
// demo data, two of the four farms that can serve the Japanese koi
// request). Instead, the export-readiness explanation warns: "CKIB expires
// on 2026-11-20; renew before shipping".
//
// # Step 2: how well each one fits (soft criteria)
//
// Each qualifying listing gets eight criteria, each an outcome (MATCHED,
// PARTIAL, NOT_MATCHED or UNKNOWN), a score from 0 to 1, its weight and an
// explanation. UNKNOWN means the data is missing: it scores 0, like a
// mismatch, but is shown as unknown so that the officer can ask for the
// data instead of writing the producer off.
//
//   - product (weight 0.20): how precisely the HS code matches, compared on
//     up to six digits (the subheading all countries share): 1 when all of
//     the listing's first six digits are matched, 0.83 when the buyer gave
//     only the 4-digit heading, 0.5 (PARTIAL) when only the category could
//     be compared.
//   - destination_experience (0.15): 1 if the producer has exported to the
//     destination before ("Has exported to Japan before (2024, 2025)."),
//     0.5 if it only ships there.
//   - quantity (0.20): what the producer can make by the needed-by date:
//     monthly capacity x (days until the needed-by date - lead time) / 30,
//     rounded down. Enough for the quantity scores 1; less scores the share
//     it can make; a minimum order above the quantity scores 0. Without a
//     stated monthly capacity or lead time the answer is UNKNOWN. Without a
//     needed-by date the next 90 days are counted.
//   - price (0.15): the buyer's target price per unit, converted into the
//     listing's currency with the trade office's exchange-rate table,
//     against the listing's price range. A lowest price at or below the
//     target scores 1; 10% above it 0.8; 50% or more above it 0. No target,
//     no price, no exchange rate, or a different unit of sale: UNKNOWN.
//   - lead_time (0.10): 1 if the first shipment can leave by the needed-by
//     date, 0 if not.
//   - export_readiness (0.10): the share of mandatory export requirements
//     for this product and destination that the producer meets (package
//     requirement); the explanation names the missing ones. When no
//     mandatory requirement is on file, it says so and scores 1.
//   - trust (0.07): the trade office's verification (VERIFIED counts fully,
//     PENDING_REVIEW 40%) for three quarters, and deals closed on the
//     platform (full at three) for the rest.
//   - responsiveness (0.03): the share of proposals the producer answered;
//     UNKNOWN before its first proposal.
//
// The total is the weighted mean of the eight scores, from 0 to 1. The
// weights are configuration (Options.Weights); the defaults are explained at
// DefaultWeights. Responsiveness weighs little on purpose: ranking by it
// floods the few firms that answer fast.
//
// # Step 3: the list
//
// Listings are ranked by total score, best first; equal scores are ordered
// by listing name, so the same data always gives the same list. At most 20
// are returned unless asked otherwise (at most 100). To cap exposure, one
// producer fills at most three places of a list (Options.MaxListingsPerProducer):
// a large consolidator with many similar listings cannot crowd out the
// small makers, nor collect every proposal. qualified_count still counts
// every qualifying listing.
//
// # What to relax
//
// When fewer than five listings qualify, the response says which single
// constraint holds the others back and how many more listings would
// qualify without it: "4 more koi breeders if the KHV_FREE_CERTIFICATE were
// not required". It counts, for each required certification type, the
// destination, and the HS prefix (only when the request also names a
// category), the listings that fail that one constraint and nothing else.
// A listing failing two constraints is counted under neither; a paused or
// wrong-category listing never. Constraints that would add nothing are not
// listed.
//
// # Groups of producers
//
// Large orders (several containers of djembe, about 3,600 drums each) are
// filled by many small makers together. When no single qualifying listing
// can supply the quantity by the needed-by date, the response proposes a
// group:
//
//   - Only listings whose capacity by the date is known take part; each
//     producer with at most one listing (its listings share one workshop).
//   - A consolidator never joins together with one of its own member
//     producers, nor two consolidators that share a member: that would
//     count the same workshop twice.
//   - Candidates are taken in order of half their score plus half the share
//     of the quantity they can supply, skipping those that would double
//     count a workshop, until together they can make the quantity.
//   - Each member gets at least its minimum order and at most what it can
//     make by the date; the best members are filled first, so the shares
//     add up exactly to the quantity.
//   - Members with the smallest shares are then dropped while the others
//     can still cover the quantity: fewer members mean fewer contracts.
//
// If even all of them together fall short, the best partial group is shown
// with covers_request false. A "group" of one is never proposed.
//
// # The other direction
//
// Recommend takes a producer's listings and a list of buying requests and
// returns the OPEN, unexpired requests that one of its ACTIVE listings can
// serve under the same hard constraints, each with the best listing and the
// same breakdown Match would give.
//
// # Speed
//
// Match has to answer within 20 ms at 100,000 listings on two cores. A
// SliceSource compiles every listing and producer once, when it is built,
// into small flat records (packed HS codes, country codes as numbers,
// certificate expiry dates as day numbers), and the engine scans those
// instead of the proto messages: about 2.5 ms for a typical request and
// under 9 ms for one that needs a group, at 100,000 listings. Explanations
// are written only for the listings returned. Other Source implementations
// work too (each candidate is compiled on the fly by the same code), but
// are several times slower at that size, so the service should match over a
// SliceSource built from its catalogue and rebuilt when the catalogue
// changes (0.1 to 0.2 s at 100,000 listings), either by passing it to New or
// by having its own Source implement Snapshotter.
package matching
