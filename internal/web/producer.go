package web

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/certday"
)

type dashboardData struct {
	Producer        *pb.Producer
	Listings        []*pb.Listing
	Waiting         []*pb.Match
	Connected       []*pb.Match
	Recommendations []*pb.RequestMatch
	Expiring        []expiringCert
}

type expiringCert struct {
	Cert *pb.Certification
	Days int
}

// dashboardPage is a producer's home: its listings, proposals waiting for
// its answer, connected buyers, requests that fit it, and certificates
// that run out soon.
func (w *Web) dashboardPage(p *pageCtx) error {
	if p.role() != auth.RoleProducer {
		return p.redirect(w.home(p.sess.principal, ""))
	}
	me := p.sess.principal.Resource
	prod, err := w.producers.GetProducer(p.api(), &pb.GetProducerRequest{Name: me})
	if err != nil {
		return err
	}
	ls, err := w.producers.ListListings(p.api(), &pb.ListListingsRequest{Parent: me, PageSize: 200})
	if err != nil {
		return err
	}
	waiting, err := w.matches.ListMatches(p.api(), &pb.ListMatchesRequest{PageSize: 50, Filter: "state = PROPOSED"})
	if err != nil {
		return err
	}
	connected, err := w.matches.ListMatches(p.api(), &pb.ListMatchesRequest{PageSize: 50, Filter: "state = CONNECTED"})
	if err != nil {
		return err
	}
	d := &dashboardData{Producer: prod, Listings: ls.GetListings(), Connected: connected.GetMatches()}
	for _, m := range waiting.GetMatches() {
		for _, mm := range m.GetMembers() {
			if mm.GetProducer() == me && mm.GetAnswer() == pb.Answer_PENDING {
				d.Waiting = append(d.Waiting, m)
				break
			}
		}
	}
	if rec, err := w.matches.RecommendBuyingRequests(p.api(), &pb.RecommendBuyingRequestsRequest{Name: me, PageSize: 10}); err == nil {
		d.Recommendations = rec.GetRequests()
	} else {
		w.log.WarnContext(p.r.Context(), "web: recommendations", "producer", me, "error", err)
	}
	today := certday.Today(time.Now())
	for _, c := range prod.GetCertifications() {
		span, ok := certday.SpanOf(c)
		if !ok || !span.Expires() || span.From > today {
			continue
		}
		if days := today.DaysUntil(span.Until); days <= 60 {
			d.Expiring = append(d.Expiring, expiringCert{Cert: c, Days: days})
		}
	}
	sort.Slice(d.Expiring, func(i, j int) bool { return d.Expiring[i].Days < d.Expiring[j].Days })
	return p.ok("dashboard.html", p.T("Dashboard"), d)
}

// listingForm is the listing form as typed.
type listingForm struct {
	Title, Description, Category, HSCode, Unit, Currency, PriceMin, PriceMax string
	MinOrder, Capacity, LeadTime, ShipTo, RequestID, Etag                    string
}

type listingFormData struct {
	Name       string // empty for a new listing
	Producer   string
	Form       listingForm
	Errors     map[string]string
	Categories []pb.Category
	Currencies []string
}

var listingFields = map[string]bool{"title": true, "description": true, "category": true, "hs_code": true, "unit": true,
	"price_min": true, "price_max": true, "min_order_quantity": true, "monthly_capacity": true, "lead_time_days": true, "ship_to_country_codes": true}

func newListingFormData(producer, name string, f listingForm) *listingFormData {
	return &listingFormData{Name: name, Producer: producer, Form: f, Errors: map[string]string{},
		Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_FOOD, pb.Category_ORNAMENTAL_PLANT, pb.Category_ORNAMENTAL_FISH, pb.Category_HANDICRAFT, pb.Category_OTHER},
		Currencies: currencies}
}

// ownListingParent refuses to open a form for another firm's listings: the
// API would refuse the write anyway, and the form would only mislead.
func ownListingParent(p *pageCtx) (string, error) {
	producer := "producers/" + p.r.PathValue("producer")
	if !p.isFirm(producer) {
		return "", errNotYours
	}
	return producer, nil
}

func (w *Web) listingFormPage(p *pageCtx) error {
	producer, err := ownListingParent(p)
	if err != nil {
		return err
	}
	id := p.r.PathValue("listing")
	if id == "" {
		return p.ok("listing_form.html", p.T("New listing"), newListingFormData(producer, "", listingForm{Currency: "USD", Unit: "piece", RequestID: uuid.NewString()}))
	}
	name := producer + "/listings/" + id
	l, err := w.producers.GetListing(p.api(), &pb.GetListingRequest{Name: name})
	if err != nil {
		return err
	}
	f := listingForm{Title: l.GetTitle(), Description: l.GetDescription(), Category: l.GetCategory().String(), HSCode: l.GetHsCode(),
		Unit: l.GetUnit(), Currency: "USD", ShipTo: strings.Join(l.GetShipToCountryCodes(), ", "), Etag: l.GetEtag()}
	if m := l.GetPriceMin(); m != nil {
		f.Currency, f.PriceMin = m.GetCurrencyCode(), decimal(m.GetUnits(), m.GetNanos())
	}
	if m := l.GetPriceMax(); m != nil {
		f.Currency, f.PriceMax = m.GetCurrencyCode(), decimal(m.GetUnits(), m.GetNanos())
	}
	if l.MinOrderQuantity != nil {
		f.MinOrder = strconv.FormatInt(l.GetMinOrderQuantity(), 10)
	}
	if l.MonthlyCapacity != nil {
		f.Capacity = strconv.FormatInt(l.GetMonthlyCapacity(), 10)
	}
	if l.LeadTimeDays != nil {
		f.LeadTime = strconv.Itoa(int(l.GetLeadTimeDays()))
	}
	return p.ok("listing_form.html", p.T("Edit listing"), newListingFormData(producer, name, f))
}

// decimal writes units and nanos as a plain decimal ("12.5").
func decimal(units int64, nanos int32) string {
	if nanos == 0 {
		return strconv.FormatInt(units, 10)
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", abs32(nanos)), "0")
	sign := ""
	if units < 0 || nanos < 0 {
		sign = "-"
		if units < 0 {
			units = -units
		}
	}
	return sign + strconv.FormatInt(units, 10) + "." + frac
}

func abs32(n int32) int32 {
	if n < 0 {
		return -n
	}
	return n
}

// listingFormPost creates a listing (as a draft) or updates one. Only what
// the form shows is sent, named in the update mask.
func (w *Web) listingFormPost(p *pageCtx) error {
	producer, err := ownListingParent(p)
	if err != nil {
		return err
	}
	v := p.r.PostForm.Get
	f := listingForm{Title: v("title"), Description: v("description"), Category: v("category"), HSCode: strings.TrimSpace(v("hs_code")),
		Unit: strings.TrimSpace(v("unit")), Currency: v("currency"), PriceMin: strings.TrimSpace(v("price_min")), PriceMax: strings.TrimSpace(v("price_max")),
		MinOrder: strings.TrimSpace(v("min_order_quantity")), Capacity: strings.TrimSpace(v("monthly_capacity")), LeadTime: strings.TrimSpace(v("lead_time_days")),
		ShipTo: strings.ToUpper(v("ship_to_country_codes")), RequestID: v("request_id"), Etag: v("etag")}
	name := ""
	if id := p.r.PathValue("listing"); id != "" {
		name = producer + "/listings/" + id
	}
	d := newListingFormData(producer, name, f)
	title := p.T("New listing")
	if name != "" {
		title = p.T("Edit listing")
	}
	l := &pb.Listing{Name: name, Title: f.Title, Description: f.Description, HsCode: f.HSCode, Unit: f.Unit, ShipToCountryCodes: splitList(f.ShipTo), Etag: f.Etag}
	if c, ok := pb.Category_value[f.Category]; ok {
		l.Category = pb.Category(c)
	}
	if l.PriceMin, err = parseMoney(f.PriceMin, f.Currency); err != nil {
		d.Errors["price_min"] = p.T("Enter an amount such as 12.50")
	}
	if l.PriceMax, err = parseMoney(f.PriceMax, f.Currency); err != nil {
		d.Errors["price_max"] = p.T("Enter an amount such as 12.50")
	}
	optionalCount := func(s, field string) *int64 {
		if s == "" {
			return nil
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
		if err != nil {
			d.Errors[field] = p.T("Enter a whole number")
			return nil
		}
		return &n
	}
	l.MinOrderQuantity = optionalCount(f.MinOrder, "min_order_quantity")
	l.MonthlyCapacity = optionalCount(f.Capacity, "monthly_capacity")
	if n := optionalCount(f.LeadTime, "lead_time_days"); n != nil {
		days := int32(min(max(*n, -1), 1<<30))
		l.LeadTimeDays = &days
	}
	if len(d.Errors) > 0 {
		p.render(400, "listing_form.html", title, d)
		return nil
	}
	var saved *pb.Listing
	if name == "" {
		saved, err = w.producers.CreateListing(p.api(), &pb.CreateListingRequest{Parent: producer, Listing: l, RequestId: f.RequestID})
	} else {
		saved, err = w.producers.UpdateListing(p.api(), &pb.UpdateListingRequest{Listing: l, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{
			"title", "description", "category", "hs_code", "unit", "price_min", "price_max", "min_order_quantity", "monthly_capacity", "lead_time_days", "ship_to_country_codes",
		}}})
	}
	if err != nil {
		if fe, ok := fieldErrors(err, listingFields); ok {
			d.Errors = fe
			p.render(400, "listing_form.html", title, d)
			return nil
		}
		return err
	}
	return p.redirect("/" + saved.GetName())
}

// listingStatePost publishes, pauses or archives a listing.
func (w *Web) listingStatePost(p *pageCtx) error {
	producer, err := ownListingParent(p)
	if err != nil {
		return err
	}
	name := producer + "/listings/" + p.r.PathValue("listing")
	switch p.r.PostFormValue("action") {
	case "publish":
		_, err = w.producers.PublishListing(p.api(), &pb.PublishListingRequest{Name: name})
	case "pause":
		_, err = w.producers.PauseListing(p.api(), &pb.PauseListingRequest{Name: name})
	case "archive":
		_, err = w.producers.ArchiveListing(p.api(), &pb.ArchiveListingRequest{Name: name})
	default:
		return errBadForm
	}
	if err != nil {
		return err
	}
	if next := safeNext(p.r.PostFormValue("next")); next != "" {
		return p.redirect(next)
	}
	return p.redirect("/dashboard")
}

type readinessData struct {
	Listing    *pb.Listing
	Country    string
	Report     *pb.ReadinessReport
	Problem    string
	Indonesian bool
}

// readinessPage is the checklist for shipping a listing's product to a
// market: what is met, what is missing and the next step.
func (w *Web) readinessPage(p *pageCtx) error {
	name := "producers/" + p.r.PathValue("producer") + "/listings/" + p.r.PathValue("listing")
	l, err := w.producers.GetListing(p.api(), &pb.GetListingRequest{Name: name})
	if err != nil {
		return err
	}
	country := strings.ToUpper(strings.TrimSpace(p.r.URL.Query().Get("country")))
	if country == "" && len(l.GetShipToCountryCodes()) > 0 {
		country = l.GetShipToCountryCodes()[0]
	}
	d := &readinessData{Listing: l, Country: country, Indonesian: p.lang == langID}
	if country != "" {
		rep, err := w.reqs.CheckReadiness(p.api(), &pb.CheckReadinessRequest{Name: name, DestinationCountryCode: country})
		if fe, ok := fieldErrors(err, map[string]bool{"destination_country_code": true}); ok {
			d.Problem = fe["destination_country_code"] + fe[""]
		} else if err != nil {
			return err
		}
		d.Report = rep
	}
	return p.ok("readiness.html", p.T("Export readiness"), d)
}
