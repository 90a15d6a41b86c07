package mongostore

import (
	"slices"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// requirementDoc is a stored export requirement.
type requirementDoc struct {
	ID                  string     `bson:"_id"`
	Version             int64      `bson:"version"`
	RequestID           string     `bson:"requestId,omitempty"`
	Title               string     `bson:"title"`
	HsPrefix            string     `bson:"hsPrefix,omitempty"`
	Category            string     `bson:"category"`
	DestinationCountry  string     `bson:"destinationCountryCode"`
	Kind                string     `bson:"kind"`
	Obligation          string     `bson:"obligation"`
	ResponsibleParty    string     `bson:"responsibleParty"`
	Authority           string     `bson:"authority,omitempty"`
	Document            string     `bson:"document,omitempty"`
	CertificationType   string     `bson:"certificationType,omitempty"`
	TypicalLeadTimeDays *int32     `bson:"typicalLeadTimeDays,omitempty"`
	TypicalCost         *moneyDoc  `bson:"typicalCost,omitempty"`
	ExplanationEN       string     `bson:"explanationEn,omitempty"`
	ExplanationID       string     `bson:"explanationId,omitempty"`
	SourceTitle         string     `bson:"sourceTitle,omitempty"`
	SourceURI           string     `bson:"sourceUri,omitempty"`
	Confirmation        string     `bson:"confirmation"`
	VerificationNote    string     `bson:"verificationNote,omitempty"`
	LastChecked         *time.Time `bson:"lastCheckedDate,omitempty"`
	Issuance            string     `bson:"issuance,omitempty"`
	FilingChannel       string     `bson:"filingChannel,omitempty"`
	ApplyDaysBefore     *int32     `bson:"applyDaysBeforeDeparture,omitempty"`
	Prerequisites       []string   `bson:"prerequisiteCertificationTypes,omitempty"`
	Condition           string     `bson:"condition,omitempty"`
	CreateTime          time.Time  `bson:"createTime"`
	UpdateTime          time.Time  `bson:"updateTime"`
}

// requirementFilterFields maps the filter paths of ListRequirements to keys.
var requirementFilterFields = map[string]string{
	"category":                 "category",
	"hs_prefix":                "hsPrefix",
	"destination_country_code": "destinationCountryCode",
	"kind":                     "kind",
	"obligation":               "obligation",
	"responsible_party":        "responsibleParty",
	"confirmation":             "confirmation",
	"certification_type":       "certificationType",
}

func requirementToDoc(r *pb.Requirement) (*requirementDoc, error) {
	var err error
	d := &requirementDoc{
		ID:                  r.GetName(),
		Title:               r.GetTitle(),
		HsPrefix:            r.GetHsPrefix(),
		DestinationCountry:  r.GetDestinationCountryCode(),
		Authority:           r.GetAuthority(),
		Document:            r.GetDocument(),
		CertificationType:   r.GetCertificationType(),
		TypicalLeadTimeDays: clonePtr(r.TypicalLeadTimeDays),
		ExplanationEN:       r.GetExplanationEn(),
		ExplanationID:       r.GetExplanationId(),
		SourceTitle:         r.GetSourceTitle(),
		SourceURI:           r.GetSourceUri(),
		VerificationNote:    r.GetVerificationNote(),
		FilingChannel:       r.GetFilingChannel(),
		ApplyDaysBefore:     clonePtr(r.ApplyDaysBeforeDeparture),
		Prerequisites:       slices.Clone(r.GetPrerequisiteCertificationTypes()),
		Condition:           r.GetCondition(),
		CreateTime:          timeToDoc(r.GetCreateTime()),
		UpdateTime:          timeToDoc(r.GetUpdateTime()),
	}
	if d.Category, err = enumToDoc("category", r.GetCategory()); err != nil {
		return nil, err
	}
	if d.Kind, err = enumToDoc("kind", r.GetKind()); err != nil {
		return nil, err
	}
	if d.Obligation, err = enumToDoc("obligation", r.GetObligation()); err != nil {
		return nil, err
	}
	if d.ResponsibleParty, err = enumToDoc("responsible_party", r.GetResponsibleParty()); err != nil {
		return nil, err
	}
	if d.Confirmation, err = enumToDoc("confirmation", r.GetConfirmation()); err != nil {
		return nil, err
	}
	if d.TypicalCost, err = moneyToDoc("typical_cost", r.GetTypicalCost()); err != nil {
		return nil, err
	}
	if d.LastChecked, err = dateToDoc("last_checked_date", r.GetLastCheckedDate()); err != nil {
		return nil, err
	}
	// Unspecified is left out, as documents written before the field existed.
	if r.GetIssuance() != pb.Requirement_ISSUANCE_UNSPECIFIED {
		if d.Issuance, err = enumToDoc("issuance", r.GetIssuance()); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func requirementFromDoc(d *requirementDoc) *pb.Requirement {
	return &pb.Requirement{
		Name:                           d.ID,
		Title:                          d.Title,
		HsPrefix:                       d.HsPrefix,
		Category:                       enumFromDoc[pb.Category](pb.Category_value, d.Category),
		DestinationCountryCode:         d.DestinationCountry,
		Kind:                           enumFromDoc[pb.Requirement_Kind](pb.Requirement_Kind_value, d.Kind),
		Obligation:                     enumFromDoc[pb.Requirement_Obligation](pb.Requirement_Obligation_value, d.Obligation),
		ResponsibleParty:               enumFromDoc[pb.Requirement_Party](pb.Requirement_Party_value, d.ResponsibleParty),
		Authority:                      d.Authority,
		Document:                       d.Document,
		CertificationType:              d.CertificationType,
		TypicalLeadTimeDays:            clonePtr(d.TypicalLeadTimeDays),
		TypicalCost:                    moneyFromDoc(d.TypicalCost),
		ExplanationEn:                  d.ExplanationEN,
		ExplanationId:                  d.ExplanationID,
		SourceTitle:                    d.SourceTitle,
		SourceUri:                      d.SourceURI,
		Confirmation:                   enumFromDoc[pb.Requirement_Confirmation](pb.Requirement_Confirmation_value, d.Confirmation),
		VerificationNote:               d.VerificationNote,
		LastCheckedDate:                dateFromDoc(d.LastChecked),
		Issuance:                       enumFromDoc[pb.Requirement_Issuance](pb.Requirement_Issuance_value, d.Issuance),
		FilingChannel:                  d.FilingChannel,
		ApplyDaysBeforeDeparture:       clonePtr(d.ApplyDaysBefore),
		PrerequisiteCertificationTypes: slices.Clone(d.Prerequisites),
		Condition:                      d.Condition,
		CreateTime:                     timeFromDoc(d.CreateTime),
		UpdateTime:                     timeFromDoc(d.UpdateTime),
		Etag:                           formatEtag(d.Version),
	}
}
