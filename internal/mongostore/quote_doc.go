package mongostore

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// quoteDoc is a stored quote: the current terms, and the replaced ones in
// history, so that a revision never overwrites what the buyer saw.
type quoteDoc struct {
	ID                  string             `bson:"_id"`
	Version             int64              `bson:"version"`
	RequestID           string             `bson:"requestId,omitempty"`
	Parent              string             `bson:"parent"`
	Producer            string             `bson:"producer"`
	ProducerDisplayName string             `bson:"producerDisplayName,omitempty"`
	Listings            []string           `bson:"listings"`
	Terms               *quoteTermsDoc     `bson:"terms"`
	Revision            int32              `bson:"revision"`
	History             []quoteRevisionDoc `bson:"history,omitempty"`
	State               string             `bson:"state"`
	// ExpireTime repeats terms.expireTime at the top level, where the
	// derived EXPIRED state and the producer's open-quote count query it.
	ExpireTime    time.Time `bson:"expireTime"`
	DeclineReason string    `bson:"declineReason,omitempty"`
	Match         string    `bson:"match,omitempty"`
	CreateTime    time.Time `bson:"createTime"`
	UpdateTime    time.Time `bson:"updateTime"`
}

type quoteTermsDoc struct {
	UnitPrice        *moneyDoc `bson:"unitPrice"`
	Quantity         int64     `bson:"quantity"`
	MinimumOrder     int64     `bson:"minimumOrderQuantity,omitempty"`
	LeadTimeDays     int32     `bson:"leadTimeDays"`
	Incoterm         string    `bson:"incoterm"`
	IncotermPlace    string    `bson:"incotermPlace"`
	ExpireTime       time.Time `bson:"expireTime"`
	SamplesAvailable bool      `bson:"samplesAvailable,omitempty"`
	SamplePrice      *moneyDoc `bson:"samplePrice,omitempty"`
	DepositPercent   int32     `bson:"depositPercent,omitempty"`
	PaymentMethod    string    `bson:"paymentMethod"`
	Packaging        string    `bson:"packaging,omitempty"`
	Note             string    `bson:"note,omitempty"`
}

type quoteRevisionDoc struct {
	Revision   int32          `bson:"revision"`
	Terms      *quoteTermsDoc `bson:"terms"`
	ReviseTime time.Time      `bson:"reviseTime"`
}

var quoteFilterFields = map[string]string{
	"producer": "producer",
	"state":    "state",
}

func quoteTermsToDoc(field string, t *pb.QuoteTerms) (*quoteTermsDoc, error) {
	if t == nil {
		return nil, nil
	}
	price, err := moneyToDoc(field+".unit_price", t.GetUnitPrice())
	if err != nil {
		return nil, err
	}
	sample, err := moneyToDoc(field+".sample_price", t.GetSamplePrice())
	if err != nil {
		return nil, err
	}
	incoterm, err := enumToDoc(field+".incoterm", t.GetIncoterm())
	if err != nil {
		return nil, err
	}
	pay, err := enumToDoc(field+".payment_method", t.GetPaymentMethod())
	if err != nil {
		return nil, err
	}
	return &quoteTermsDoc{
		UnitPrice: price, Quantity: t.GetQuantity(), MinimumOrder: t.GetMinimumOrderQuantity(),
		LeadTimeDays: t.GetLeadTimeDays(), Incoterm: incoterm, IncotermPlace: t.GetIncotermPlace(),
		ExpireTime: timeToDoc(t.GetExpireTime()), SamplesAvailable: t.GetSamplesAvailable(), SamplePrice: sample,
		DepositPercent: t.GetDepositPercent(), PaymentMethod: pay, Packaging: t.GetPackaging(), Note: t.GetNote(),
	}, nil
}

func quoteTermsFromDoc(d *quoteTermsDoc) *pb.QuoteTerms {
	if d == nil {
		return nil
	}
	return &pb.QuoteTerms{
		UnitPrice: moneyFromDoc(d.UnitPrice), Quantity: d.Quantity, MinimumOrderQuantity: d.MinimumOrder,
		LeadTimeDays: d.LeadTimeDays, Incoterm: enumFromDoc[pb.Incoterm](pb.Incoterm_value, d.Incoterm),
		IncotermPlace: d.IncotermPlace, ExpireTime: timeFromDoc(d.ExpireTime), SamplesAvailable: d.SamplesAvailable,
		SamplePrice: moneyFromDoc(d.SamplePrice), DepositPercent: d.DepositPercent,
		PaymentMethod: enumFromDoc[pb.PaymentMethod](pb.PaymentMethod_value, d.PaymentMethod),
		Packaging:     d.Packaging, Note: d.Note,
	}
}

func quoteToDoc(q *pb.Quote) (*quoteDoc, error) {
	terms, err := quoteTermsToDoc("terms", q.GetTerms())
	if err != nil {
		return nil, err
	}
	state, err := enumToDoc("state", q.GetState())
	if err != nil {
		return nil, err
	}
	d := &quoteDoc{
		ID: q.GetName(), Parent: parentOf(q.GetName()), Producer: q.GetProducer(),
		ProducerDisplayName: q.GetProducerDisplayName(), Listings: cloneStrings(q.GetListings()),
		Terms: terms, Revision: q.GetRevision(), State: state,
		ExpireTime: timeToDoc(q.GetTerms().GetExpireTime()), DeclineReason: q.GetDeclineReason(), Match: q.GetMatch(),
	}
	for _, h := range q.GetHistory() {
		t, err := quoteTermsToDoc("history.terms", h.GetTerms())
		if err != nil {
			return nil, err
		}
		d.History = append(d.History, quoteRevisionDoc{Revision: h.GetRevision(), Terms: t, ReviseTime: timeToDoc(h.GetReviseTime())})
	}
	return d, nil
}

func quoteFromDoc(d *quoteDoc) *pb.Quote {
	q := &pb.Quote{
		Name: d.ID, Producer: d.Producer, ProducerDisplayName: d.ProducerDisplayName,
		Listings: cloneStrings(d.Listings), Terms: quoteTermsFromDoc(d.Terms), Revision: d.Revision,
		State:         enumFromDoc[pb.Quote_State](pb.Quote_State_value, d.State),
		DeclineReason: d.DeclineReason, Match: d.Match,
		CreateTime: timeFromDoc(d.CreateTime), UpdateTime: timeFromDoc(d.UpdateTime), Etag: formatEtag(d.Version),
	}
	for _, h := range d.History {
		q.History = append(q.History, &pb.QuoteRevision{Revision: h.Revision, Terms: quoteTermsFromDoc(h.Terms), ReviseTime: timeFromDoc(h.ReviseTime)})
	}
	return q
}
