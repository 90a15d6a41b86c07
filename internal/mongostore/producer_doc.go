package mongostore

import (
	"fmt"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// producerDoc is a Producer as stored in the producers collection. Keys are
// the lowerCamelCase proto field names so that filters and indexes can be
// written from the API field names by rule.
type producerDoc struct {
	ID          string `bson:"_id"`
	DisplayName string `bson:"displayName"`
	LegalName   string `bson:"legalName,omitempty"`
	// BusinessID must stay absent when empty: a sparse unique index on it
	// would otherwise see every producer without an NIB as a duplicate "".
	BusinessID      string      `bson:"businessId,omitempty"`
	Kind            string      `bson:"kind"`
	MemberProducers []string    `bson:"memberProducers,omitempty"`
	District        string      `bson:"district"`
	Village         string      `bson:"village,omitempty"`
	Address         string      `bson:"address,omitempty"`
	Contact         *contactDoc `bson:"contact,omitempty"`
	WebsiteURI      string      `bson:"websiteUri,omitempty"`
	LanguageCodes   []string    `bson:"languageCodes,omitempty"`
	// Zero means "not stated" for both counts, so they are left out.
	YearFounded   int32             `bson:"yearFounded,omitempty"`
	WorkerCount   int32             `bson:"workerCount,omitempty"`
	ExportHistory []exportRecordDoc `bson:"exportHistory,omitempty"`
	// Always written, because `exports_in_own_name = false` must match
	// it and an equality on a missing field does not.
	ExportsInOwnName  bool               `bson:"exportsInOwnName"`
	Certifications    []certificationDoc `bson:"certifications,omitempty"`
	VerificationState string             `bson:"verificationState"`
	VerificationNote  string             `bson:"verificationNote,omitempty"`

	Version    int64     `bson:"version"`
	RequestID  string    `bson:"requestId,omitempty"`
	CreateTime time.Time `bson:"createTime"`
	UpdateTime time.Time `bson:"updateTime"`
}

// exportRecordDoc is one ExportRecord inside producerDoc.exportHistory.
type exportRecordDoc struct {
	CountryCode string    `bson:"countryCode"`
	Year        int32     `bson:"year"`
	Value       *moneyDoc `bson:"value,omitempty"`
	Note        string    `bson:"note,omitempty"`
}

// certificationDoc is one Certification inside producerDoc.certifications.
type certificationDoc struct {
	Type        string     `bson:"type"`
	Number      string     `bson:"number,omitempty"`
	Issuer      string     `bson:"issuer,omitempty"`
	IssueDate   *time.Time `bson:"issueDate,omitempty"`
	ExpiryDate  *time.Time `bson:"expiryDate,omitempty"`
	DocumentURI string     `bson:"documentUri,omitempty"`
}

// producerFilterFields maps the AIP-160 field paths of ListProducers to BSON
// keys. Paths into repeated sub-messages map to dotted keys, which MongoDB
// matches against any element of the array.
var producerFilterFields = map[string]string{
	"display_name":                "displayName",
	"kind":                        "kind",
	"district":                    "district",
	"verification_state":          "verificationState",
	"exports_in_own_name":         "exportsInOwnName",
	"export_history.country_code": "exportHistory.countryCode",
	"certifications.type":         "certifications.type",
	"language_codes":              "languageCodes",
	"business_id":                 "businessId",
}

// producerToDoc converts p for storage. Version and RequestID are left for
// the store, which alone knows them.
func producerToDoc(p *pb.Producer) (*producerDoc, error) {
	kind, err := enumToDoc("kind", p.GetKind())
	if err != nil {
		return nil, err
	}
	verification, err := enumToDoc("verification_state", p.GetVerificationState())
	if err != nil {
		return nil, err
	}
	d := &producerDoc{
		ID:                p.GetName(),
		DisplayName:       p.GetDisplayName(),
		LegalName:         p.GetLegalName(),
		BusinessID:        p.GetBusinessId(),
		Kind:              kind,
		MemberProducers:   cloneStrings(p.GetMemberProducers()),
		District:          p.GetDistrict(),
		Village:           p.GetVillage(),
		Address:           p.GetAddress(),
		Contact:           contactToDoc(p.GetContact()),
		WebsiteURI:        p.GetWebsiteUri(),
		LanguageCodes:     cloneStrings(p.GetLanguageCodes()),
		YearFounded:       p.GetYearFounded(),
		WorkerCount:       p.GetWorkerCount(),
		ExportsInOwnName:  p.GetExportsInOwnName(),
		VerificationState: verification,
		VerificationNote:  p.GetVerificationNote(),
		CreateTime:        timeToDoc(p.GetCreateTime()),
		UpdateTime:        timeToDoc(p.GetUpdateTime()),
	}
	for i, r := range p.GetExportHistory() {
		value, err := moneyToDoc(fmt.Sprintf("export_history[%d].value", i), r.GetValue())
		if err != nil {
			return nil, err
		}
		d.ExportHistory = append(d.ExportHistory, exportRecordDoc{
			CountryCode: r.GetCountryCode(),
			Year:        r.GetYear(),
			Value:       value,
			Note:        r.GetNote(),
		})
	}
	for i, c := range p.GetCertifications() {
		issued, err := dateToDoc(fmt.Sprintf("certifications[%d].issue_date", i), c.GetIssueDate())
		if err != nil {
			return nil, err
		}
		expires, err := dateToDoc(fmt.Sprintf("certifications[%d].expiry_date", i), c.GetExpiryDate())
		if err != nil {
			return nil, err
		}
		d.Certifications = append(d.Certifications, certificationDoc{
			Type:        c.GetType(),
			Number:      c.GetNumber(),
			Issuer:      c.GetIssuer(),
			IssueDate:   issued,
			ExpiryDate:  expires,
			DocumentURI: c.GetDocumentUri(),
		})
	}
	return d, nil
}

// producerFromDoc converts a stored producer back; the etag comes from the
// stored version.
func producerFromDoc(d *producerDoc) *pb.Producer {
	p := &pb.Producer{
		Name:              d.ID,
		DisplayName:       d.DisplayName,
		LegalName:         d.LegalName,
		BusinessId:        d.BusinessID,
		Kind:              enumFromDoc[pb.Producer_Kind](pb.Producer_Kind_value, d.Kind),
		MemberProducers:   cloneStrings(d.MemberProducers),
		District:          d.District,
		Village:           d.Village,
		Address:           d.Address,
		Contact:           contactFromDoc(d.Contact),
		WebsiteUri:        d.WebsiteURI,
		LanguageCodes:     cloneStrings(d.LanguageCodes),
		YearFounded:       d.YearFounded,
		WorkerCount:       d.WorkerCount,
		ExportsInOwnName:  d.ExportsInOwnName,
		VerificationState: enumFromDoc[pb.VerificationState](pb.VerificationState_value, d.VerificationState),
		VerificationNote:  d.VerificationNote,
		CreateTime:        timeFromDoc(d.CreateTime),
		UpdateTime:        timeFromDoc(d.UpdateTime),
		Etag:              formatEtag(d.Version),
	}
	for _, r := range d.ExportHistory {
		p.ExportHistory = append(p.ExportHistory, &pb.ExportRecord{
			CountryCode: r.CountryCode,
			Year:        r.Year,
			Value:       moneyFromDoc(r.Value),
			Note:        r.Note,
		})
	}
	for _, c := range d.Certifications {
		p.Certifications = append(p.Certifications, &pb.Certification{
			Type:        c.Type,
			Number:      c.Number,
			Issuer:      c.Issuer,
			IssueDate:   dateFromDoc(c.IssueDate),
			ExpiryDate:  dateFromDoc(c.ExpiryDate),
			DocumentUri: c.DocumentURI,
		})
	}
	return p
}
