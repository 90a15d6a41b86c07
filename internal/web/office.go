package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
)

type officeData struct {
	Producers []*pb.Producer
	Buyers    []*pb.Buyer
	Requests  []*pb.BuyingRequest
}

// officePage is the trade office's desk: the verification queue (firms
// pending review, with what they changed) and the open requests to broker.
func (w *Web) officePage(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	ps, err := w.producers.ListProducers(p.api(), &pb.ListProducersRequest{PageSize: 100, Filter: "verification_state = PENDING_REVIEW"})
	if err != nil {
		return err
	}
	bs, err := w.buyers.ListBuyers(p.api(), &pb.ListBuyersRequest{PageSize: 100, Filter: "verification_state = PENDING_REVIEW"})
	if err != nil {
		return err
	}
	rs, err := w.buyers.ListBuyingRequests(p.api(), &pb.ListBuyingRequestsRequest{Parent: "buyers/-", PageSize: 100, Filter: "state = OPEN"})
	if err != nil {
		return err
	}
	return p.ok("office.html", p.T("Trade office"), &officeData{Producers: ps.GetProducers(), Buyers: bs.GetBuyers(), Requests: rs.GetBuyingRequests()})
}

// verifyPost records the office's decision on a firm, with its note.
func (w *Web) verifyPost(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	name := p.r.PostFormValue("name")
	decision := pb.VerificationState_VERIFIED
	if p.r.PostFormValue("decision") == "reject" {
		decision = pb.VerificationState_REJECTED
	}
	note := strings.TrimSpace(p.r.PostFormValue("note"))
	var err error
	switch {
	case strings.HasPrefix(name, "producers/"):
		_, err = w.producers.VerifyProducer(p.api(), &pb.VerifyProducerRequest{Name: name, VerificationState: decision, Note: note})
	case strings.HasPrefix(name, "buyers/"):
		_, err = w.buyers.VerifyBuyer(p.api(), &pb.VerifyBuyerRequest{Name: name, VerificationState: decision, Note: note})
	default:
		return errBadForm
	}
	if err != nil {
		return err
	}
	return p.redirect("/office")
}

type auditData struct {
	Events   []*pb.AuditEvent
	Actor    string
	Resource string
	Method   string
	Outcome  string
	From, To string
	NextPage string
	Problem  string
}

// auditPage is the audit trail with its filters.
func (w *Web) auditPage(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	q := p.r.URL.Query()
	d := &auditData{Actor: strings.TrimSpace(q.Get("actor")), Resource: strings.TrimSpace(q.Get("resource")),
		Method: strings.TrimSpace(q.Get("method")), Outcome: strings.TrimSpace(q.Get("outcome")), From: q.Get("from"), To: q.Get("to")}
	var conds []string
	add := func(field, value string, prefix bool) {
		if value == "" {
			return
		}
		v := strings.ReplaceAll(value, `"`, "")
		if prefix {
			v += "*"
		}
		conds = append(conds, field+` = "`+v+`"`)
	}
	add("actor_resource", d.Actor, false)
	add("resource", d.Resource, true)
	add("method", d.Method, true)
	add("outcome", d.Outcome, false)
	req := &pb.ListAuditEventsRequest{PageSize: 100, PageToken: q.Get("page"), Filter: strings.Join(conds, " AND ")}
	for _, b := range []struct {
		text string
		dst  **timestamppb.Timestamp
		add  time.Duration
	}{{d.From, &req.StartTime, 0}, {d.To, &req.EndTime, 24 * time.Hour}} {
		if b.text == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, b.text, certday.WIB)
		if err != nil {
			d.Problem = p.T("Enter a date")
			p.status = http.StatusBadRequest
			return p.ok("audit.html", p.T("Audit trail"), d)
		}
		*b.dst = timestamppb.New(t.Add(b.add))
	}
	resp, err := w.audit.ListAuditEvents(p.api(), req)
	if fe, ok := fieldErrors(err, map[string]bool{}); ok {
		for _, m := range fe {
			d.Problem += m + " "
		}
		return p.ok("audit.html", p.T("Audit trail"), d)
	}
	if err != nil {
		return err
	}
	d.Events = resp.GetAuditEvents()
	if t := resp.GetNextPageToken(); t != "" {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("page", t)
		d.NextPage = "/office/audit?" + qq.Encode()
	}
	return p.ok("audit.html", p.T("Audit trail"), d)
}

type trainingData struct {
	Needs    []*pb.TrainingNeed
	Expiring []*pb.ExpiringCertification
}

// trainingPage lists what the programme should teach (requirements many
// producers lack) and certificates running out across producers.
func (w *Web) trainingPage(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	needs, err := w.reqs.ListTrainingNeeds(p.api(), &pb.ListTrainingNeedsRequest{})
	if err != nil {
		return err
	}
	exp, err := w.reqs.ListExpiringCertifications(p.api(), &pb.ListExpiringCertificationsRequest{WithinDays: 90, IncludeExpired: true})
	if err != nil {
		return err
	}
	return p.ok("training.html", p.T("Training needs"), &trainingData{Needs: needs.GetNeeds(), Expiring: exp.GetCertifications()})
}
