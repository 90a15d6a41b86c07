package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// certRow is one certificate as the form shows it.
type certRow struct {
	Type, Number, Issuer, IssueDate, ExpiryDate, DocumentURI string
}

// profileForm is the producer's profile as typed.
type profileForm struct {
	DisplayName, LegalName, Village, Address, Website, Languages string
	Person, Phone, WhatsApp, Email                               string
	YearFounded, Workers                                         string
	OwnName                                                      bool
	Certs                                                        []certRow
	Etag                                                         string
}

type profileData struct {
	Name     string
	Verified bool
	Form     profileForm
	Errors   map[string]string
}

var profileFields = map[string]bool{"display_name": true, "legal_name": true, "village": true, "address": true, "website_uri": true,
	"language_codes": true, "person_name": true, "phone": true, "whatsapp": true, "email": true, "year_founded": true,
	"worker_count": true, "certifications": true}

// blankCertRows are the empty certificate rows offered for new ones.
const blankCertRows = 2

// profilePage is a producer's own profile and certificates, in a form.
func (w *Web) profilePage(p *pageCtx) error {
	if p.role() != auth.RoleProducer {
		return errNotYours
	}
	prod, err := w.producers.GetProducer(p.api(), &pb.GetProducerRequest{Name: p.sess.principal.Resource})
	if err != nil {
		return err
	}
	c := prod.GetContact()
	f := profileForm{
		DisplayName: prod.GetDisplayName(), LegalName: prod.GetLegalName(), Village: prod.GetVillage(), Address: prod.GetAddress(),
		Website: prod.GetWebsiteUri(), Languages: strings.Join(prod.GetLanguageCodes(), ", "),
		Person: c.GetPersonName(), Phone: c.GetPhone(), WhatsApp: c.GetWhatsapp(), Email: c.GetEmail(),
		OwnName: prod.GetExportsInOwnName(), Etag: prod.GetEtag(),
	}
	if y := prod.GetYearFounded(); y > 0 {
		f.YearFounded = strconv.Itoa(int(y))
	}
	if n := prod.GetWorkerCount(); n > 0 {
		f.Workers = strconv.Itoa(int(n))
	}
	for _, cert := range prod.GetCertifications() {
		f.Certs = append(f.Certs, certRow{Type: cert.GetType(), Number: cert.GetNumber(), Issuer: cert.GetIssuer(),
			IssueDate: dateInput(cert.GetIssueDate()), ExpiryDate: dateInput(cert.GetExpiryDate()), DocumentURI: cert.GetDocumentUri()})
	}
	for range blankCertRows {
		f.Certs = append(f.Certs, certRow{})
	}
	return p.ok("profile.html", p.T("Profile and certificates"), &profileData{
		Name: prod.GetName(), Verified: prod.GetVerificationState() == pb.VerificationState_VERIFIED, Form: f, Errors: map[string]string{},
	})
}

func dateInput(d *date.Date) string {
	if d == nil || d.GetYear() == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
}

// profilePost saves the profile: the fields of the form, named in the
// update mask, conditional on the etag the form was opened with. A row whose
// type is blank is no certificate (that is how one is removed).
func (w *Web) profilePost(p *pageCtx) error {
	if p.role() != auth.RoleProducer {
		return errNotYours
	}
	name := p.sess.principal.Resource
	v := p.r.PostForm.Get
	f := profileForm{
		DisplayName: v("display_name"), LegalName: v("legal_name"), Village: v("village"), Address: v("address"),
		Website: strings.TrimSpace(v("website_uri")), Languages: v("language_codes"),
		Person: v("person_name"), Phone: strings.TrimSpace(v("phone")), WhatsApp: strings.TrimSpace(v("whatsapp")), Email: strings.TrimSpace(v("email")),
		YearFounded: strings.TrimSpace(v("year_founded")), Workers: strings.TrimSpace(v("worker_count")), OwnName: v("exports_in_own_name") == "on",
		Etag: v("etag"),
	}
	d := &profileData{Name: name, Form: f, Errors: map[string]string{}}
	prod := &pb.Producer{
		Name: name, Etag: f.Etag, DisplayName: f.DisplayName, LegalName: f.LegalName, Village: f.Village, Address: f.Address,
		WebsiteUri: f.Website, LanguageCodes: splitList(f.Languages), ExportsInOwnName: f.OwnName,
		Contact: &pb.Contact{PersonName: f.Person, Phone: f.Phone, Whatsapp: f.WhatsApp, Email: f.Email},
	}
	if f.YearFounded != "" {
		if n, err := strconv.Atoi(f.YearFounded); err == nil {
			prod.YearFounded = int32(min(max(n, -1), 1<<20))
		} else {
			d.Errors["year_founded"] = p.T("Enter a whole number")
		}
	}
	if f.Workers != "" {
		if n, err := strconv.Atoi(f.Workers); err == nil {
			prod.WorkerCount = int32(min(max(n, -1), 1<<30))
		} else {
			d.Errors["worker_count"] = p.T("Enter a whole number")
		}
	}
	form := p.r.PostForm
	types := form["cert_type"]
	for i := range types {
		row := certRow{Type: strings.TrimSpace(types[i]), Number: at(form["cert_number"], i), Issuer: at(form["cert_issuer"], i),
			IssueDate: at(form["cert_issue_date"], i), ExpiryDate: at(form["cert_expiry_date"], i), DocumentURI: at(form["cert_document_uri"], i)}
		d.Form.Certs = append(d.Form.Certs, row)
		if row.Type == "" {
			continue
		}
		c := &pb.Certification{Type: strings.ToUpper(row.Type), Number: row.Number, Issuer: row.Issuer, DocumentUri: strings.TrimSpace(row.DocumentURI)}
		var ok bool
		if c.IssueDate, ok = parseDateInput(row.IssueDate); !ok {
			d.Errors["certifications"] = p.T("Enter a date")
		}
		if c.ExpiryDate, ok = parseDateInput(row.ExpiryDate); !ok {
			d.Errors["certifications"] = p.T("Enter a date")
		}
		prod.Certifications = append(prod.Certifications, c)
	}
	if len(d.Errors) > 0 {
		p.render(400, "profile.html", p.T("Profile and certificates"), d)
		return nil
	}
	_, err := w.producers.UpdateProducer(p.api(), &pb.UpdateProducerRequest{Producer: prod, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{
		"display_name", "legal_name", "village", "address", "website_uri", "language_codes", "exports_in_own_name", "contact",
		"year_founded", "worker_count", "certifications",
	}}})
	if err != nil {
		if fe, ok := fieldErrors(err, profileFields); ok {
			d.Errors = fe
			p.render(400, "profile.html", p.T("Profile and certificates"), d)
			return nil
		}
		return err
	}
	return p.redirect("/dashboard")
}

func at(values []string, i int) string {
	if i < len(values) {
		return strings.TrimSpace(values[i])
	}
	return ""
}

// parseDateInput reads an <input type=date> value; empty is no date.
func parseDateInput(s string) (*date.Date, bool) {
	if s == "" {
		return nil, true
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, false
	}
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}, true
}
