package app_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

func dateOf(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

func dayOf(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
}

// connectedDjembeMatch makes a CONNECTED match between the US djembe
// request and a djembe workshop, the trade office answering for both sides.
func connectedDjembeMatch(t *testing.T, e *env) *pb.Match {
	t.Helper()
	ctx := e.ctx()
	djembe := activeListings(t, e, `category = MUSICAL_INSTRUMENT`)
	if len(djembe) == 0 {
		t.Fatal("no djembe listings")
	}
	m, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: djembeRequest, ProposedBy: pb.Party_TRADE_OFFICE,
		Members: []*pb.MatchMember{{Listing: djembe[0].GetName(), AllottedQuantity: 500}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*pb.AcceptMatchRequest{
		{Name: m.GetName(), Party: pb.Party_BUYER},
		{Name: m.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: m.GetMembers()[0].GetProducer()},
	} {
		if m, err = e.matches.AcceptMatch(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if m.GetState() != pb.Match_CONNECTED {
		t.Fatalf("match: %v", m.GetState())
	}
	return m
}

// TestShipmentChecklist: a sea shipment of djembe to the US lists the
// Lacey declaration (the importer's) and the ISPM 15 treatment of wood
// packaging, due before departure; due dates follow the planned departure;
// overdue papers are listed for the producer and the trade office.
func TestShipmentChecklist(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	m := connectedDjembeMatch(t, e)
	producer := m.GetMembers()[0].GetProducer()
	c := pb.NewShipmentServiceClient(e.conn)
	planned := time.Now().UTC().AddDate(0, 0, 30).Truncate(24 * time.Hour)
	tokProducer := e.token(auth.RoleProducer, producer)
	sh, err := c.CreateShipment(as(ctx, tokProducer), &pb.CreateShipmentRequest{Parent: m.GetName(), ShipmentId: "first", Shipment: &pb.Shipment{
		PlannedDepartureDate: dateOf(planned), Quantity: 500, Value: &money.Money{CurrencyCode: "USD", Units: 21_000},
		Mode: pb.Shipment_SEA_CONTAINER, PortOfLoading: "Tanjung Perak, Surabaya", ExportRoute: pb.Shipment_OWN_NAME,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if sh.GetDestinationCountryCode() != "US" || sh.GetProducer() != producer || sh.GetBuyer() != "buyers/heartland-drum-supply" {
		t.Fatalf("shipment: %v", sh)
	}
	find := func(sh *pb.Shipment, part string) *pb.ShipmentDocument {
		for _, d := range sh.GetDocuments() {
			if strings.Contains(d.GetId(), part) {
				return d
			}
		}
		t.Fatalf("no %q among %d papers", part, len(sh.GetDocuments()))
		return nil
	}
	lacey, ispm := find(sh, "lacey"), find(sh, "ispm15")
	if lacey.GetFiledBy() != pb.ShipmentDocument_IMPORTER || lacey.GetState() != pb.ShipmentDocument_TO_DO || dayOf(lacey.GetDueDate()).After(planned) {
		t.Errorf("Lacey declaration: %v", lacey)
	}
	if ispm.GetFiledBy() != pb.ShipmentDocument_EXPORTER || ispm.GetKind() != pb.Requirement_TREATMENT || !dayOf(ispm.GetDueDate()).Before(planned) || ispm.GetCondition() == "" {
		t.Errorf("ISPM 15: %v", ispm)
	}
	for _, d := range sh.GetDocuments() {
		if d.GetOverdue() {
			t.Errorf("%s overdue a month before departure", d.GetId())
		}
	}

	// Departure brought forward to two days ago: due dates follow, and the
	// open papers are overdue.
	early := time.Now().UTC().AddDate(0, 0, -2)
	moved, err := c.UpdateShipment(as(ctx, tokProducer), &pb.UpdateShipmentRequest{Shipment: &pb.Shipment{
		Name: sh.GetName(), PlannedDepartureDate: dateOf(early), ExportRoute: pb.Shipment_AGENT, AgentName: "CV Surabaya Ekspor",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if ispm := find(moved, "ispm15"); !ispm.GetOverdue() || ispm.GetFiledBy() != pb.ShipmentDocument_THIRD_PARTY {
		t.Errorf("ISPM 15 after the move: %v", ispm)
	}
	// The importer's paper is marked received by the buyer.
	done, err := c.UpdateShipmentDocument(as(ctx, e.token(auth.RoleBuyer, "buyers/heartland-drum-supply")), &pb.UpdateShipmentDocumentRequest{
		Name: sh.GetName(), Document: find(moved, "lacey").GetId(), State: pb.ShipmentDocument_RECEIVED})
	if err != nil {
		t.Fatal(err)
	}
	if l := find(done, "lacey"); l.GetState() != pb.ShipmentDocument_RECEIVED || l.GetOverdue() {
		t.Errorf("Lacey after receipt: %v", l)
	}
	for _, tok := range []string{tokProducer, e.admin} {
		list, err := c.ListShipments(as(ctx, tok), &pb.ListShipmentsRequest{Parent: "matches/-", Filter: "overdue = true"})
		if err != nil || len(list.GetShipments()) != 1 || list.GetShipments()[0].GetName() != sh.GetName() {
			t.Errorf("overdue shipments: %v %v", list, err)
		}
	}
	other, err := c.ListShipments(as(ctx, e.token(auth.RoleProducer, "producers/mina-kanigoro-koi")), &pb.ListShipmentsRequest{Parent: "matches/-"})
	if err != nil || len(other.GetShipments()) != 0 {
		t.Errorf("another producer's view: %v %v", other, err)
	}
	// The buyer reads but does not record shipments; bad input names fields.
	_, err = c.CreateShipment(as(ctx, e.token(auth.RoleBuyer, "buyers/heartland-drum-supply")), &pb.CreateShipmentRequest{Parent: m.GetName(), Shipment: &pb.Shipment{}})
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("buyer records a shipment: %v", err)
	}
	_, err = c.CreateShipment(ctx, &pb.CreateShipmentRequest{Parent: m.GetName(), Shipment: &pb.Shipment{Quantity: -1}})
	got := violationFields(err)
	for _, f := range []string{"shipment.export_route", "shipment.mode", "shipment.planned_departure_date", "shipment.port_of_loading", "shipment.quantity", "shipment.value"} {
		if !strings.Contains(strings.Join(got, " "), f) {
			t.Errorf("violations %v lack %s", got, f)
		}
	}
	_, err = c.UpdateShipmentDocument(ctx, &pb.UpdateShipmentDocumentRequest{Name: sh.GetName(), Document: "no-such-paper", State: pb.ShipmentDocument_FILED})
	if status.Code(err) != codes.NotFound {
		t.Errorf("unknown paper: %v", err)
	}
}

// tableShipment records a shipment of a new connected match of request
// and listing, for the role table.
func tableShipment(t *testing.T, e *env, request, listing string) string {
	t.Helper()
	ctx := e.ctx()
	m, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{MatchId: "connected-for-access", Match: &pb.Match{
		BuyingRequest: request, ProposedBy: pb.Party_TRADE_OFFICE, Members: []*pb.MatchMember{{Listing: listing, AllottedQuantity: 10}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*pb.AcceptMatchRequest{
		{Name: m.GetName(), Party: pb.Party_BUYER},
		{Name: m.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: m.GetMembers()[0].GetProducer()},
	} {
		if _, err := e.matches.AcceptMatch(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	sh, err := pb.NewShipmentServiceClient(e.conn).CreateShipment(ctx, &pb.CreateShipmentRequest{Parent: m.GetName(), ShipmentId: "for-access", Shipment: &pb.Shipment{
		PlannedDepartureDate: dateOf(time.Now().AddDate(0, 1, 0)), Quantity: 10, Value: &money.Money{CurrencyCode: "USD", Units: 400},
		Mode: pb.Shipment_COURIER_PARCEL, PortOfLoading: "Juanda, Surabaya", ExportRoute: pb.Shipment_CONSOLIDATOR, AgentName: "Koperasi Blitar",
	}})
	if err != nil {
		t.Fatal(err)
	}
	return sh.GetName()
}
