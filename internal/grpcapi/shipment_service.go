package grpcapi

import (
	"context"
	"errors"
	"fmt"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/shipment"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// ShipmentService implements pb.ShipmentServiceServer: the shipments of
// a deal and their document checklist (package shipment).
type ShipmentService struct {
	pb.UnimplementedShipmentServiceServer
	base
	shipments    ShipmentStore
	matches      MatchReader
	requirements RequirementReader
	listings     ListingReader
	buyers       BuyerReader
	requests     BuyingRequestReader
}

const (
	shipmentNameHelp   = "must be a shipment name like matches/m-abc123/shipments/s-1"
	shipmentParentHelp = "must be a match name like matches/m-abc123, or matches/- for every match"
)

var shipmentOutputOnly = set("destination_country_code", "hs_code", "category", "producer", "buyer", "documents")

var shipmentSchema = query.Schema{
	"producer":                 {Kind: query.String},
	"buyer":                    {Kind: query.String},
	"destination_country_code": {Kind: query.String},
	"export_route":             {Kind: query.Enum, Enum: pb.Shipment_EXPORT_ROUTE_UNSPECIFIED.Descriptor()},
	"overdue":                  {Kind: query.Bool},
}

func parseShipmentName(name string) bool {
	_, ok := parseName(name, "matches/{}/shipments/{}")
	return ok
}

// checkShipment validates the writable fields of a shipment.
func checkShipment(v *validate.Violations, field string, sh *pb.Shipment) {
	if d := sh.GetPlannedDepartureDate(); d == nil || !validate.Date(d) {
		v.Add(field+".planned_departure_date", "must be a full calendar date")
	}
	if d := sh.GetActualDepartureDate(); d != nil && !validate.Date(d) {
		v.Add(field+".actual_departure_date", "must be a full calendar date")
	}
	switch q := sh.GetQuantity(); {
	case q <= 0:
		v.Add(field+".quantity", "must be positive")
	case q > maxQuantity:
		v.Addf(field+".quantity", "must be at most %d", maxQuantity)
	}
	if sh.GetValue() == nil {
		v.Add(field+".value", "is required")
	} else {
		validate.Money(v, field+".value", sh.GetValue())
		if m, err := money.ToMinor(sh.GetValue()); err == nil && m <= 0 {
			v.Add(field+".value", "must be more than zero")
		}
	}
	if _, ok := pb.Shipment_Mode_name[int32(sh.GetMode())]; !ok || sh.GetMode() == pb.Shipment_MODE_UNSPECIFIED {
		v.Add(field+".mode", "must be SEA_CONTAINER, AIR or COURIER_PARCEL")
	}
	if p := sh.GetPortOfLoading(); p == "" || len(p) > 200 {
		v.Add(field+".port_of_loading", `is required (at most 200 characters), e.g. "Tanjung Perak, Surabaya"`)
	}
	if _, ok := pb.Shipment_ExportRoute_name[int32(sh.GetExportRoute())]; !ok || sh.GetExportRoute() == pb.Shipment_EXPORT_ROUTE_UNSPECIFIED {
		v.Add(field+".export_route", "must be OWN_NAME, CONSOLIDATOR or AGENT")
	}
	if len(sh.GetAgentName()) > 200 {
		v.Add(field+".agent_name", "must be at most 200 characters")
	}
}

// CreateShipment implements ShipmentService. Its goods, parties and
// document checklist are the server's: they follow from the match, its
// buying request and the requirement catalogue.
func (s *ShipmentService) CreateShipment(ctx context.Context, req *pb.CreateShipmentRequest) (*pb.Shipment, error) {
	var v validate.Violations
	if !parseMatchName(req.GetParent()) {
		v.Add("parent", matchNameHelp)
	}
	return create(ctx, &s.base, &v, req.GetShipment(), createSpec[*pb.Shipment]{
		field: "shipment", outputOnly: shipmentOutputOnly,
		check:   func(v *validate.Violations, sh *pb.Shipment) { checkShipment(v, "shipment", sh) },
		idField: "shipment_id", id: req.GetShipmentId(), requestID: req.GetRequestId(), requestIDFirst: true,
		// A shipment has no title: its ids read "s-...".
		title: func(*pb.Shipment) string { return "s" }, scope: req.GetParent(),
		name:    func(id string) string { return req.GetParent() + "/shipments/" + id },
		prepare: func(sh *pb.Shipment) error { return s.fromMatch(ctx, req.GetParent(), sh) },
		write:   s.shipments.CreateShipment,
	})
}

// fromMatch fills in what a new shipment of the match named parent carries
// from it: the match must be connected or a deal.
func (s *ShipmentService) fromMatch(ctx context.Context, parent string, sh *pb.Shipment) error {
	m, err := s.matches.GetMatch(ctx, parent)
	if err != nil {
		return s.err(ctx, err)
	}
	if st := m.GetState(); st != pb.Match_CONNECTED && st != pb.Match_CLOSED_DEAL {
		return s.err(ctx, fmt.Errorf("%w: match %q is %s; shipments belong to connected matches and deals", store.ErrFailedPrecondition, m.GetName(), st))
	}
	br, err := s.requests.GetBuyingRequest(ctx, m.GetBuyingRequest())
	if err != nil {
		return s.err(ctx, err)
	}
	dest, hs, category, err := s.goods(ctx, m, br)
	if err != nil {
		return s.err(ctx, err)
	}
	all, err := s.requirements.AllRequirements(ctx)
	if err != nil {
		return s.err(ctx, err)
	}
	sh.DestinationCountryCode, sh.HsCode, sh.Category = dest, hs, category
	sh.Producer, sh.Buyer = m.GetMembers()[0].GetProducer(), m.GetBuyer()
	sh.Documents = shipment.Checklist(all, hs, category, dest, sh.GetExportRoute(), sh.GetPlannedDepartureDate())
	return nil
}

// goods are what a match's shipments carry where: the request's
// destination (or the buyer's country), and the HS code and category of
// the first member's listing (or the request's, when it is gone).
func (s *ShipmentService) goods(ctx context.Context, m *pb.Match, br *pb.BuyingRequest) (dest, hs string, category pb.Category, err error) {
	dest = br.GetDestinationCountryCode()
	if dest == "" {
		if b, err := s.buyers.GetBuyer(ctx, m.GetBuyer()); err == nil {
			dest = b.GetCountryCode()
		}
	}
	hs, category = br.GetHsPrefix(), br.GetCategory()
	l, err := s.listings.GetListing(ctx, m.GetMembers()[0].GetListing())
	switch {
	case err == nil:
		hs, category = l.GetHsCode(), l.GetCategory()
	case !errors.Is(err, store.ErrNotFound):
		return "", "", 0, err
	}
	return dest, hs, category, nil
}

// GetShipment implements ShipmentService.
func (s *ShipmentService) GetShipment(ctx context.Context, req *pb.GetShipmentRequest) (*pb.Shipment, error) {
	if !parseShipmentName(req.GetName()) {
		return nil, invalid("name", shipmentNameHelp)
	}
	out, err := s.shipments.GetShipment(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return out, nil
}

// ListShipments implements ShipmentService.
func (s *ShipmentService) ListShipments(ctx context.Context, req *pb.ListShipmentsRequest) (*pb.ListShipmentsResponse, error) {
	parent := req.GetParent()
	if parent != "matches/-" && !parseMatchName(parent) {
		return nil, invalid("parent", shipmentParentHelp)
	}
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		parent: parent, method: "ListShipments", schema: shipmentSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	if parent != "matches/-" {
		o.Parent = parent
	}
	items, more, err := s.shipments.ListShipments(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListShipmentsResponse{Shipments: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateShipment implements ShipmentService. Due dates follow a new
// planned departure; a new route changes who files the exporter's papers.
func (s *ShipmentService) UpdateShipment(ctx context.Context, req *pb.UpdateShipmentRequest) (*pb.Shipment, error) {
	return update(ctx, &s.base, "shipment", req.GetShipment(), req.GetUpdateMask(), shipmentOutputOnly, parseShipmentName, shipmentNameHelp,
		s.shipments.UpdateShipment, nil,
		func(cur *pb.Shipment) error {
			var v validate.Violations
			checkShipment(&v, "shipment", cur)
			if err := v.Err(); err != nil {
				return err
			}
			shipment.Reschedule(cur.GetDocuments(), cur.GetPlannedDepartureDate())
			shipment.SetRoute(cur.GetDocuments(), cur.GetExportRoute())
			return nil
		})
}

// UpdateShipmentDocument implements ShipmentService.
func (s *ShipmentService) UpdateShipmentDocument(ctx context.Context, req *pb.UpdateShipmentDocumentRequest) (*pb.Shipment, error) {
	var v validate.Violations
	if !parseShipmentName(req.GetName()) {
		v.Add("name", shipmentNameHelp)
	}
	if d := req.GetDocument(); d == "" || len(d) > 200 {
		v.Add("document", "the id of a paper of the shipment's checklist is required")
	}
	if _, ok := pb.ShipmentDocument_State_name[int32(req.GetState())]; !ok || req.GetState() == pb.ShipmentDocument_STATE_UNSPECIFIED {
		v.Add("state", "must be TO_DO, FILED, RECEIVED or NOT_NEEDED")
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := s.shipments.UpdateShipment(ctx, req.GetName(), req.GetEtag(), func(sh *pb.Shipment) error {
		return shipment.SetDocument(sh, req.GetDocument(), req.GetState())
	})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return out, nil
}
