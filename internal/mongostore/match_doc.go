package mongostore

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// matchDoc is a stored match. Contact details are never stored here: they
// are read from the parties when a connected match is shown, so they are
// always current and exist in one place only.
type matchDoc struct {
	ID            string           `bson:"_id"`
	Version       int64            `bson:"version"`
	RequestID     string           `bson:"requestId,omitempty"`
	BuyingRequest string           `bson:"buyingRequest"`
	Buyer         string           `bson:"buyer"`
	Members       []matchMemberDoc `bson:"members"`
	// MemberProducers repeats members[].producer at the top level, where
	// an equality reaches FerretDB's PostgreSQL backend as a WHERE clause
	// (it pushes down no dotted path) and MongoDB's index on it serves a
	// producer's list of matches. Always written (backfilled at start-up
	// for matches stored before it, see backfillMemberProducers).
	MemberProducers  []string   `bson:"memberProducers"`
	ProposedBy       string     `bson:"proposedBy"`
	Message          string     `bson:"message,omitempty"`
	BuyerAnswer      string     `bson:"buyerAnswer"`
	BuyerAnswerTime  *time.Time `bson:"buyerAnswerTime,omitempty"`
	BuyerDisplayName string     `bson:"buyerDisplayName,omitempty"`
	State            string     `bson:"state"`
	Score            float64    `bson:"score"`
	ExpireTime       *time.Time `bson:"expireTime,omitempty"`
	Deal             *dealDoc   `bson:"deal,omitempty"`
	NoDealReason     string     `bson:"noDealReason,omitempty"`
	Quote            string     `bson:"quote,omitempty"`
	CreateTime       time.Time  `bson:"createTime"`
	UpdateTime       time.Time  `bson:"updateTime"`
	// AppliedAnswers are the idempotency keys of the answers applied to
	// the match, written with the answer itself (see Store.AnswerMatch).
	AppliedAnswers []string `bson:"appliedAnswers,omitempty"`
}

type matchMemberDoc struct {
	Listing          string     `bson:"listing"`
	Producer         string     `bson:"producer"`
	AllottedQuantity int64      `bson:"allottedQuantity"`
	Answer           string     `bson:"answer"`
	AnswerTime       *time.Time `bson:"answerTime,omitempty"`
	DisplayName      string     `bson:"displayName,omitempty"`
}

// dealDoc keeps a closed deal complete: export statistics are built from it.
type dealDoc struct {
	Quantity     int64      `bson:"quantity"`
	Unit         string     `bson:"unit"`
	Value        *moneyDoc  `bson:"value"`
	ShipmentDate *time.Time `bson:"shipmentDate"`
	Destination  string     `bson:"destinationCountryCode"`
	Incoterm     string     `bson:"incoterm"`
	Note         string     `bson:"note,omitempty"`
}

var matchFilterFields = map[string]string{
	"buyer":            "buyer",
	"buying_request":   "buyingRequest",
	"members.producer": "memberProducers",
	"members.listing":  "members.listing",
	"state":            "state",
	"proposed_by":      "proposedBy",
}

func matchToDoc(m *pb.Match) (*matchDoc, error) {
	var err error
	d := &matchDoc{
		ID:               m.GetName(),
		BuyingRequest:    m.GetBuyingRequest(),
		Buyer:            m.GetBuyer(),
		Message:          m.GetMessage(),
		BuyerAnswerTime:  optionalTimeToDoc(m.GetBuyerAnswerTime()),
		BuyerDisplayName: m.GetBuyerDisplayName(),
		Score:            m.GetScore(),
		ExpireTime:       optionalTimeToDoc(m.GetExpireTime()),
		NoDealReason:     m.GetNoDealReason(),
		Quote:            m.GetQuote(),
		CreateTime:       timeToDoc(m.GetCreateTime()),
		UpdateTime:       timeToDoc(m.GetUpdateTime()),
	}
	if d.ProposedBy, err = enumToDoc("proposed_by", m.GetProposedBy()); err != nil {
		return nil, err
	}
	if d.BuyerAnswer, err = enumToDoc("buyer_answer", m.GetBuyerAnswer()); err != nil {
		return nil, err
	}
	if d.State, err = enumToDoc("state", m.GetState()); err != nil {
		return nil, err
	}
	for _, mem := range m.GetMembers() {
		answer, err := enumToDoc("members.answer", mem.GetAnswer())
		if err != nil {
			return nil, err
		}
		d.Members = append(d.Members, matchMemberDoc{
			Listing:          mem.GetListing(),
			Producer:         mem.GetProducer(),
			AllottedQuantity: mem.GetAllottedQuantity(),
			Answer:           answer,
			AnswerTime:       optionalTimeToDoc(mem.GetAnswerTime()),
			DisplayName:      mem.GetProducerDisplayName(),
		})
	}
	d.MemberProducers = memberProducers(d.Members)
	if deal := m.GetDeal(); deal != nil {
		value, err := moneyToDoc("deal.value", deal.GetValue())
		if err != nil {
			return nil, err
		}
		ship, err := dateToDoc("deal.shipment_date", deal.GetShipmentDate())
		if err != nil {
			return nil, err
		}
		incoterm, err := enumToDoc("deal.incoterm", deal.GetIncoterm())
		if err != nil {
			return nil, err
		}
		d.Deal = &dealDoc{
			Quantity: deal.GetQuantity(), Unit: deal.GetUnit(), Value: value, ShipmentDate: ship,
			Destination: deal.GetDestinationCountryCode(), Incoterm: incoterm, Note: deal.GetNote(),
		}
	}
	return d, nil
}

func matchFromDoc(d *matchDoc) *pb.Match {
	m := &pb.Match{
		Name:             d.ID,
		BuyingRequest:    d.BuyingRequest,
		Buyer:            d.Buyer,
		ProposedBy:       enumFromDoc[pb.Party](pb.Party_value, d.ProposedBy),
		Message:          d.Message,
		BuyerAnswer:      enumFromDoc[pb.Answer](pb.Answer_value, d.BuyerAnswer),
		BuyerAnswerTime:  optionalTimeFromDoc(d.BuyerAnswerTime),
		BuyerDisplayName: d.BuyerDisplayName,
		State:            enumFromDoc[pb.Match_State](pb.Match_State_value, d.State),
		Score:            d.Score,
		ExpireTime:       optionalTimeFromDoc(d.ExpireTime),
		NoDealReason:     d.NoDealReason,
		Quote:            d.Quote,
		CreateTime:       timeFromDoc(d.CreateTime),
		UpdateTime:       timeFromDoc(d.UpdateTime),
		Etag:             formatEtag(d.Version),
	}
	for _, mem := range d.Members {
		m.Members = append(m.Members, &pb.MatchMember{
			Listing:             mem.Listing,
			Producer:            mem.Producer,
			AllottedQuantity:    mem.AllottedQuantity,
			Answer:              enumFromDoc[pb.Answer](pb.Answer_value, mem.Answer),
			AnswerTime:          optionalTimeFromDoc(mem.AnswerTime),
			ProducerDisplayName: mem.DisplayName,
		})
	}
	if d.Deal != nil {
		m.Deal = &pb.Deal{
			Quantity: d.Deal.Quantity, Unit: d.Deal.Unit, Value: moneyFromDoc(d.Deal.Value),
			ShipmentDate: dateFromDoc(d.Deal.ShipmentDate), DestinationCountryCode: d.Deal.Destination,
			Incoterm: enumFromDoc[pb.Incoterm](pb.Incoterm_value, d.Deal.Incoterm), Note: d.Deal.Note,
		}
	}
	return m
}

// memberProducers lists the members' producers in member order, one per
// member, never nil (see matchDoc.MemberProducers).
func memberProducers(members []matchMemberDoc) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.Producer
	}
	return out
}
