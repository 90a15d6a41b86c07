// Package shipment holds the rules of a deal's shipments: the document
// checklist generated from the requirement catalogue, its due dates, which
// follow the planned departure, and the overdue papers. Plain functions over
// the API's messages; the tests need no database.
package shipment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/store"
)

// onChecklist reports whether a catalogue row is a paper or step of each
// consignment, rather than something a firm holds for years (CKIB, SVLK)
// which readiness checks cover.
func onChecklist(r *pb.Requirement) bool {
	switch {
	case requirement.PerShipment(r):
		return true
	case r.GetKind() == pb.Requirement_DECLARATION, r.GetKind() == pb.Requirement_TREATMENT:
		return true
	}
	return false
}

// Checklist returns the papers a shipment of the product to dest needs,
// from the catalogue rows all, with due dates before the planned departure.
// Exporter-side papers are filed by the producer when it exports in its own
// name and by the consolidator or agent otherwise.
func Checklist(all []*pb.Requirement, hsCode string, category pb.Category, dest string, route pb.Shipment_ExportRoute, planned *date.Date) []*pb.ShipmentDocument {
	var out []*pb.ShipmentDocument
	for _, r := range requirement.Applicable(all, hsCode, category, dest) {
		if !onChecklist(r) {
			continue
		}
		d := &pb.ShipmentDocument{
			Id:                  strings.TrimPrefix(r.GetName(), "requirements/"),
			Requirement:         r.GetName(),
			Title:               r.GetTitle(),
			Document:            r.GetDocument(),
			Kind:                r.GetKind(),
			Mandatory:           r.GetObligation() == pb.Requirement_MANDATORY,
			FiledBy:             filer(r, route),
			FiledAt:             where(r),
			DaysBeforeDeparture: daysBefore(r),
			State:               pb.ShipmentDocument_TO_DO,
			Condition:           r.GetCondition(),
		}
		out = append(out, d)
	}
	Reschedule(out, planned)
	return out
}

func filer(r *pb.Requirement, route pb.Shipment_ExportRoute) pb.ShipmentDocument_Filer {
	switch {
	case r.GetResponsibleParty() == pb.Requirement_IMPORTER:
		return pb.ShipmentDocument_IMPORTER
	case route == pb.Shipment_OWN_NAME:
		return pb.ShipmentDocument_EXPORTER
	}
	return pb.ShipmentDocument_THIRD_PARTY
}

func where(r *pb.Requirement) string {
	switch a, ch := r.GetAuthority(), r.GetFilingChannel(); {
	case a != "" && ch != "":
		return a + " (" + ch + ")"
	case a != "":
		return a
	default:
		return ch
	}
}

// treatmentDays is when a treatment without a figure of its own is due:
// wood packaging is treated and marked before the goods are packed, which
// is a few days before the container is stuffed.
const treatmentDays = 3

// daysBefore is how long before departure a paper is applied for: the
// catalogue's own figure, else the typical time to obtain it, else
// treatmentDays for a treatment and the day of departure for the rest.
func daysBefore(r *pb.Requirement) int32 {
	switch {
	case r.ApplyDaysBeforeDeparture != nil:
		return r.GetApplyDaysBeforeDeparture()
	case r.TypicalLeadTimeDays != nil:
		return r.GetTypicalLeadTimeDays()
	case r.GetKind() == pb.Requirement_TREATMENT:
		return treatmentDays
	}
	return 0
}

// Reschedule sets every paper's due date from the planned departure.
func Reschedule(docs []*pb.ShipmentDocument, planned *date.Date) {
	day := toTime(planned)
	for _, d := range docs {
		d.DueDate = fromTime(day.AddDate(0, 0, -int(d.GetDaysBeforeDeparture())))
	}
}

// SetRoute changes who files the exporter-side papers.
func SetRoute(docs []*pb.ShipmentDocument, route pb.Shipment_ExportRoute) {
	for _, d := range docs {
		if d.GetFiledBy() == pb.ShipmentDocument_IMPORTER {
			continue
		}
		d.FiledBy = pb.ShipmentDocument_THIRD_PARTY
		if route == pb.Shipment_OWN_NAME {
			d.FiledBy = pb.ShipmentDocument_EXPORTER
		}
	}
}

// MarkOverdue sets the overdue flag of every paper for the day now (in
// Blitar, UTC+7, where the papers are filed).
func MarkOverdue(s *pb.Shipment, now time.Time) {
	today := Today(now)
	for _, d := range s.GetDocuments() {
		d.Overdue = d.GetState() == pb.ShipmentDocument_TO_DO && d.GetDueDate() != nil && toTime(d.GetDueDate()).Before(today)
	}
}

// blitar is Western Indonesian Time, without daylight saving.
var blitar = time.FixedZone("WIB", 7*3600)

// Today is midnight UTC of the calendar day it is in Blitar at now, the
// form dates are compared in.
func Today(now time.Time) time.Time {
	y, m, d := now.In(blitar).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// EarliestOpenDue is the earliest due date of a paper still TO_DO, or the
// zero time when none is: what the store filters overdue shipments on.
func EarliestOpenDue(s *pb.Shipment) time.Time {
	var first time.Time
	for _, d := range s.GetDocuments() {
		if d.GetState() != pb.ShipmentDocument_TO_DO || d.GetDueDate() == nil {
			continue
		}
		if t := toTime(d.GetDueDate()); first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first
}

// SetDocument changes the state of one paper.
func SetDocument(s *pb.Shipment, id string, state pb.ShipmentDocument_State) error {
	i := slices.IndexFunc(s.GetDocuments(), func(d *pb.ShipmentDocument) bool { return d.GetId() == id })
	if i < 0 {
		return fmt.Errorf("%w: shipment %q has no paper %q on its checklist", store.ErrNotFound, s.GetName(), id)
	}
	s.Documents[i].State = state
	return nil
}

func toTime(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
}

func fromTime(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}
