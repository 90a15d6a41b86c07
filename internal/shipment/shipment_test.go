package shipment

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/store"
)

func byID(docs []*pb.ShipmentDocument) map[string]*pb.ShipmentDocument {
	m := map[string]*pb.ShipmentDocument{}
	for _, d := range docs {
		m[d.GetId()] = d
	}
	return m
}

func find(t *testing.T, docs []*pb.ShipmentDocument, suffix string) *pb.ShipmentDocument {
	t.Helper()
	for id, d := range byID(docs) {
		if len(id) >= len(suffix) && id[len(id)-len(suffix):] == suffix {
			return d
		}
	}
	t.Fatalf("no paper %q among %d", suffix, len(docs))
	return nil
}

// The catalogue's djembe to the US: the importer's Lacey declaration, the
// exporter's ISPM 15 treatment before departure; nothing a firm holds for
// years (those are readiness, not papers of one shipment).
func TestChecklistDjembeToUS(t *testing.T) {
	planned := &date.Date{Year: 2027, Month: 3, Day: 10}
	docs := Checklist(requirement.Catalogue(), "920600", pb.Category_MUSICAL_INSTRUMENT, "US", pb.Shipment_OWN_NAME, planned)
	lacey := find(t, docs, "djembe-us-lacey-declaration")
	if lacey.GetFiledBy() != pb.ShipmentDocument_IMPORTER || lacey.GetKind() != pb.Requirement_DECLARATION || !lacey.GetMandatory() {
		t.Errorf("Lacey: %v", lacey)
	}
	ispm := find(t, docs, "packaging-ispm15-musical-instrument")
	if ispm.GetFiledBy() != pb.ShipmentDocument_EXPORTER || ispm.GetDaysBeforeDeparture() != treatmentDays ||
		ispm.GetDueDate().GetDay() != 7 || ispm.GetCondition() == "" {
		t.Errorf("ISPM 15: %v", ispm)
	}
	for _, d := range docs {
		if d.GetState() != pb.ShipmentDocument_TO_DO {
			t.Errorf("%s starts %v", d.GetId(), d.GetState())
		}
	}
	// Through an agent, the exporter's papers are the agent's.
	agent := Checklist(requirement.Catalogue(), "920600", pb.Category_MUSICAL_INSTRUMENT, "US", pb.Shipment_AGENT, planned)
	if find(t, agent, "packaging-ispm15-musical-instrument").GetFiledBy() != pb.ShipmentDocument_THIRD_PARTY ||
		find(t, agent, "djembe-us-lacey-declaration").GetFiledBy() != pb.ShipmentDocument_IMPORTER {
		t.Error("filers through an agent")
	}
	SetRoute(agent, pb.Shipment_OWN_NAME)
	if find(t, agent, "packaging-ispm15-musical-instrument").GetFiledBy() != pb.ShipmentDocument_EXPORTER {
		t.Error("SetRoute")
	}
}

func TestRescheduleAndOverdue(t *testing.T) {
	s := &pb.Shipment{Documents: []*pb.ShipmentDocument{
		{Id: "a", DaysBeforeDeparture: 3, State: pb.ShipmentDocument_TO_DO},
		{Id: "b", DaysBeforeDeparture: 0, State: pb.ShipmentDocument_RECEIVED},
		{Id: "c", DaysBeforeDeparture: 10, State: pb.ShipmentDocument_TO_DO},
	}}
	Reschedule(s.Documents, &date.Date{Year: 2027, Month: 1, Day: 5})
	if d := byID(s.Documents)["c"].GetDueDate(); d.GetYear() != 2026 || d.GetMonth() != 12 || d.GetDay() != 26 {
		t.Fatalf("due across a year end: %v", d)
	}
	if got := EarliestOpenDue(s); !got.Equal(time.Date(2026, 12, 26, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("earliest open due %v", got)
	}
	// 2027-01-02 23:00 UTC is already 3 January in Blitar.
	MarkOverdue(s, time.Date(2027, 1, 2, 23, 0, 0, 0, time.UTC))
	got := byID(s.Documents)
	if !got["a"].GetOverdue() || got["b"].GetOverdue() || !got["c"].GetOverdue() {
		t.Fatalf("overdue: a %v b %v c %v", got["a"].GetOverdue(), got["b"].GetOverdue(), got["c"].GetOverdue())
	}
	MarkOverdue(s, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC))
	if byID(s.Documents)["a"].GetOverdue() {
		t.Fatal("a overdue on its due date")
	}
	if err := SetDocument(s, "c", pb.ShipmentDocument_NOT_NEEDED); err != nil {
		t.Fatal(err)
	}
	if err := SetDocument(s, "zz", pb.ShipmentDocument_FILED); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown paper: %v", err)
	}
	if got := EarliestOpenDue(s); !got.Equal(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("earliest open due after c is not needed: %v", got)
	}
}
