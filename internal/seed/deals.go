package seed

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	moneyx "github.com/adiekspor/temubisnis/internal/money"
)

// History is a record of past trade between the demo firms: closed buying
// requests, the matches on them closed with a deal, and one shipment per
// deal with its export route. It gives the export statistics and charts
// something real to show on first start.
type History struct {
	Requests  []*pb.BuyingRequest
	Matches   []*pb.Match
	Shipments []*pb.Shipment
}

// HistoryYears are the years deals are made up for.
var HistoryYears = []int{2023, 2024, 2025, 2026}

// DealHistory derives a deal history from a data set (normally Demo's):
// every buying request of the set is repeated in each history year as a
// closed request, answered by a listing of its category that ships to its
// destination. The firms, products and destinations are the set's own, so
// the history follows any change to the demo data; quantities and dates
// are made up but deterministic. Deals dated after now (less a month) are
// left out. Before 2025 every other deal went through a Surabaya agent;
// from 2025 the firms export in their own name, the programme's aim.
func DealHistory(d *Dataset, now time.Time) *History {
	h := &History{}
	cutoff := now.AddDate(0, -1, 0)
	buyers := map[string]*pb.Buyer{}
	for _, b := range d.Buyers {
		buyers[b.GetName()] = b
	}
	for i, r := range d.BuyingRequests {
		dest := r.GetDestinationCountryCode()
		buyer := buyerOfRequest(r.GetName())
		if dest == "" {
			dest = buyers[buyer].GetCountryCode()
		}
		candidates := fitting(d.Listings, r.GetCategory(), dest)
		if len(candidates) == 0 {
			continue
		}
		for _, year := range HistoryYears {
			ship := time.Date(year, time.Month(1+(i*5+year)%12), 1+(i*7+year)%27, 0, 0, 0, 0, time.UTC)
			if ship.After(cutoff) {
				continue
			}
			l := candidates[(i+year)%len(candidates)]
			qty := max(1, r.GetQuantity()/int64(2+(i+year)%3))
			price := l.GetPriceMin()
			if price == nil {
				price = r.GetTargetPrice()
			}
			if price == nil {
				continue
			}
			unitMinor, err := moneyx.ToMinor(price)
			if err != nil {
				continue
			}
			value := moneyx.FromMinor(price.GetCurrencyCode(), unitMinor*qty)
			id := fmt.Sprintf("deal-%d-%02d", year, i)
			created := ship.AddDate(0, 0, -75)
			connected := created.AddDate(0, 0, 6+(i+year)%20)
			req := proto.CloneOf(r)
			req.Name = buyer + "/buyingRequests/" + id
			req.Quantity, req.State = qty, pb.BuyingRequest_CLOSED
			req.NeededByDate = toDate(ship)
			req.ExpireTime = timestamppb.New(created.AddDate(0, 0, 45))
			req.CreateTime, req.UpdateTime = timestamppb.New(created), timestamppb.New(ship)
			h.Requests = append(h.Requests, req)
			producer := producerOfListing(l.GetName())
			m := &pb.Match{
				Name: "matches/" + id, BuyingRequest: req.GetName(), Buyer: buyer,
				BuyerDisplayName: buyers[buyer].GetDisplayName(),
				Members: []*pb.MatchMember{{
					Listing: l.GetName(), Producer: producer, AllottedQuantity: qty,
					Answer: pb.Answer_ACCEPTED, AnswerTime: timestamppb.New(connected),
				}},
				ProposedBy: pb.Party_TRADE_OFFICE, BuyerAnswer: pb.Answer_ACCEPTED,
				BuyerAnswerTime: timestamppb.New(connected.Add(-24 * time.Hour)),
				State:           pb.Match_CLOSED_DEAL, Score: 0.7,
				Deal: &pb.Deal{
					Quantity: qty, Unit: r.GetUnit(), Value: value, ShipmentDate: toDate(ship),
					DestinationCountryCode: dest, Incoterm: r.GetIncoterm(), Note: "demo history",
				},
				CreateTime: timestamppb.New(created.AddDate(0, 0, 3)), UpdateTime: timestamppb.New(ship),
			}
			h.Matches = append(h.Matches, m)
			route := pb.Shipment_OWN_NAME
			if year < 2025 && i%2 == 0 {
				route = pb.Shipment_AGENT
			}
			sh := &pb.Shipment{
				Name: m.GetName() + "/shipments/first", PlannedDepartureDate: toDate(ship), ActualDepartureDate: toDate(ship),
				Quantity: qty, Value: value, Mode: modeFor(r.GetCategory()), PortOfLoading: portFor(r.GetCategory()),
				ExportRoute: route, DestinationCountryCode: dest, HsCode: l.GetHsCode(), Category: l.GetCategory(),
				Producer: producer, Buyer: buyer,
				CreateTime: timestamppb.New(ship.AddDate(0, 0, -20)), UpdateTime: timestamppb.New(ship),
			}
			if route == pb.Shipment_AGENT {
				sh.AgentName = "a Surabaya trading agent"
			}
			h.Shipments = append(h.Shipments, sh)
		}
	}
	return h
}

// fitting returns the listings of category that ship to dest, in set order.
func fitting(listings []*pb.Listing, category pb.Category, dest string) []*pb.Listing {
	var out []*pb.Listing
	for _, l := range listings {
		if l.GetCategory() != category || l.GetPriceMin() == nil {
			continue
		}
		for _, c := range l.GetShipToCountryCodes() {
			if c == dest {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// Live fish and plants fly; everything else goes by sea.
func modeFor(c pb.Category) pb.Shipment_Mode {
	if c == pb.Category_ORNAMENTAL_FISH || c == pb.Category_ORNAMENTAL_PLANT {
		return pb.Shipment_AIR
	}
	return pb.Shipment_SEA_CONTAINER
}

func portFor(c pb.Category) string {
	if modeFor(c) == pb.Shipment_AIR {
		return "Juanda, Surabaya"
	}
	return "Tanjung Perak, Surabaya"
}

func buyerOfRequest(name string) string {
	for i := len("buyers/"); i < len(name); i++ {
		if name[i] == '/' {
			return name[:i]
		}
	}
	return name
}

func producerOfListing(name string) string {
	for i := len("producers/"); i < len(name); i++ {
		if name[i] == '/' {
			return name[:i]
		}
	}
	return name
}
