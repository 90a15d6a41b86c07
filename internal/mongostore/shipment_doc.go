package mongostore

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/shipment"
)

// shipmentDoc is a stored shipment with its checklist.
type shipmentDoc struct {
	ID          string             `bson:"_id"`
	Version     int64              `bson:"version"`
	RequestID   string             `bson:"requestId,omitempty"`
	Parent      string             `bson:"parent"`
	Planned     *time.Time         `bson:"plannedDepartureDate"`
	Actual      *time.Time         `bson:"actualDepartureDate,omitempty"`
	Quantity    int64              `bson:"quantity"`
	Value       *moneyDoc          `bson:"value"`
	Mode        string             `bson:"mode"`
	Port        string             `bson:"portOfLoading"`
	Route       string             `bson:"exportRoute"`
	AgentName   string             `bson:"agentName,omitempty"`
	Destination string             `bson:"destinationCountryCode"`
	HSCode      string             `bson:"hsCode,omitempty"`
	Category    string             `bson:"category"`
	Producer    string             `bson:"producer"`
	Buyer       string             `bson:"buyer"`
	Documents   []shipmentPaperDoc `bson:"documents,omitempty"`
	// EarliestOpenDue is the first due date of a paper still to do: a
	// shipment is overdue when it is before today. Absent when none is.
	EarliestOpenDue *time.Time `bson:"earliestOpenDue,omitempty"`
	CreateTime      time.Time  `bson:"createTime"`
	UpdateTime      time.Time  `bson:"updateTime"`
}

type shipmentPaperDoc struct {
	ID          string     `bson:"id"`
	Requirement string     `bson:"requirement"`
	Title       string     `bson:"title"`
	Document    string     `bson:"document,omitempty"`
	Kind        string     `bson:"kind"`
	Mandatory   bool       `bson:"mandatory"`
	FiledBy     string     `bson:"filedBy"`
	FiledAt     string     `bson:"filedAt,omitempty"`
	DaysBefore  int32      `bson:"daysBeforeDeparture"`
	Due         *time.Time `bson:"dueDate"`
	State       string     `bson:"state"`
	Condition   string     `bson:"condition,omitempty"`
}

var shipmentFilterFields = map[string]string{
	"producer":                 "producer",
	"buyer":                    "buyer",
	"destination_country_code": "destinationCountryCode",
	"export_route":             "exportRoute",
}

func shipmentToDoc(s *pb.Shipment) (*shipmentDoc, error) {
	planned, err := dateToDoc("planned_departure_date", s.GetPlannedDepartureDate())
	if err != nil {
		return nil, err
	}
	actual, err := dateToDoc("actual_departure_date", s.GetActualDepartureDate())
	if err != nil {
		return nil, err
	}
	value, err := moneyToDoc("value", s.GetValue())
	if err != nil {
		return nil, err
	}
	mode, err := enumToDoc("mode", s.GetMode())
	if err != nil {
		return nil, err
	}
	route, err := enumToDoc("export_route", s.GetExportRoute())
	if err != nil {
		return nil, err
	}
	category, err := enumToDoc("category", s.GetCategory())
	if err != nil {
		return nil, err
	}
	d := &shipmentDoc{
		ID: s.GetName(), Parent: parentOf(s.GetName()), Planned: planned, Actual: actual, Quantity: s.GetQuantity(),
		Value: value, Mode: mode, Port: s.GetPortOfLoading(), Route: route, AgentName: s.GetAgentName(),
		Destination: s.GetDestinationCountryCode(), HSCode: s.GetHsCode(), Category: category,
		Producer: s.GetProducer(), Buyer: s.GetBuyer(),
	}
	for _, p := range s.GetDocuments() {
		due, err := dateToDoc("documents.due_date", p.GetDueDate())
		if err != nil {
			return nil, err
		}
		kind, err := enumToDoc("documents.kind", p.GetKind())
		if err != nil {
			return nil, err
		}
		by, err := enumToDoc("documents.filed_by", p.GetFiledBy())
		if err != nil {
			return nil, err
		}
		state, err := enumToDoc("documents.state", p.GetState())
		if err != nil {
			return nil, err
		}
		d.Documents = append(d.Documents, shipmentPaperDoc{
			ID: p.GetId(), Requirement: p.GetRequirement(), Title: p.GetTitle(), Document: p.GetDocument(), Kind: kind,
			Mandatory: p.GetMandatory(), FiledBy: by, FiledAt: p.GetFiledAt(), DaysBefore: p.GetDaysBeforeDeparture(),
			Due: due, State: state, Condition: p.GetCondition(),
		})
	}
	if t := shipment.EarliestOpenDue(s); !t.IsZero() {
		d.EarliestOpenDue = &t
	}
	return d, nil
}

func shipmentFromDoc(d *shipmentDoc) *pb.Shipment {
	s := &pb.Shipment{
		Name: d.ID, PlannedDepartureDate: dateFromDoc(d.Planned), ActualDepartureDate: dateFromDoc(d.Actual),
		Quantity: d.Quantity, Value: moneyFromDoc(d.Value),
		Mode:          enumFromDoc[pb.Shipment_Mode](pb.Shipment_Mode_value, d.Mode),
		PortOfLoading: d.Port,
		ExportRoute:   enumFromDoc[pb.Shipment_ExportRoute](pb.Shipment_ExportRoute_value, d.Route),
		AgentName:     d.AgentName, DestinationCountryCode: d.Destination, HsCode: d.HSCode,
		Category: enumFromDoc[pb.Category](pb.Category_value, d.Category),
		Producer: d.Producer, Buyer: d.Buyer,
		CreateTime: timeFromDoc(d.CreateTime), UpdateTime: timeFromDoc(d.UpdateTime), Etag: formatEtag(d.Version),
	}
	for _, p := range d.Documents {
		s.Documents = append(s.Documents, &pb.ShipmentDocument{
			Id: p.ID, Requirement: p.Requirement, Title: p.Title, Document: p.Document,
			Kind:      enumFromDoc[pb.Requirement_Kind](pb.Requirement_Kind_value, p.Kind),
			Mandatory: p.Mandatory,
			FiledBy:   enumFromDoc[pb.ShipmentDocument_Filer](pb.ShipmentDocument_Filer_value, p.FiledBy),
			FiledAt:   p.FiledAt, DaysBeforeDeparture: p.DaysBefore, DueDate: dateFromDoc(p.Due),
			State:     enumFromDoc[pb.ShipmentDocument_State](pb.ShipmentDocument_State_value, p.State),
			Condition: p.Condition,
		})
	}
	return s
}
