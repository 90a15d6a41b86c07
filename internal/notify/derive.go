package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/requirement"
)

// The rules that turn a resource as stored into events. Each is a pure
// function of the resource (and the clock for calendar events): it does not
// know whether it has seen the resource before, and need not, because the
// ids it makes are the same every time.

// Fit is a listing of a producer that the matching engine ranks for a
// buying request: it passed every hard constraint and scored Score (0..1).
type Fit struct {
	Producer string
	Listing  string
	Title    string
	Score    float64
}

// DefaultRelevance is the score a fit needs before its producer is told of
// a new request: below it, a notice would be noise.
const DefaultRelevance = 0.5

// CertificateThresholds are the days before expiry at which a holder is
// reminded, tightest last.
var CertificateThresholds = []int{60, 30, 7}

// ProposalExpiryWarning is how long before a proposal expires its
// unanswered recipients are reminded.
const ProposalExpiryWarning = 48 * time.Hour

// ForBuyingRequest tells each producer with a fit at or above minScore of
// an open request: one event per request and producer (the best-scoring of
// its listings), whatever later versions of the request bring.
func ForBuyingRequest(r *pb.BuyingRequest, fits []Fit, minScore float64) []Event {
	if r.GetState() != pb.BuyingRequest_OPEN {
		return nil
	}
	best := map[string]Fit{}
	var order []string
	for _, f := range fits {
		if f.Score < minScore || f.Producer == "" {
			continue
		}
		b, seen := best[f.Producer]
		if !seen {
			order = append(order, f.Producer)
		}
		if !seen || f.Score > b.Score {
			best[f.Producer] = f
		}
	}
	var out []Event
	for _, p := range order {
		f := best[p]
		score := strconv.FormatFloat(f.Score, 'f', 2, 64)
		out = append(out, Event{
			ID: string(RequestFits) + "/" + r.GetName() + "/" + p, Type: RequestFits,
			Time: updateTime(r.GetUpdateTime().AsTime()), Subject: r.GetName(),
			Data: map[string]string{"buying_request": r.GetName(), "title": r.GetTitle(), "producer": p, "listing": f.Listing, "score": score,
				"destination_country_code": r.GetDestinationCountryCode()},
			Notices: []Notice{{Recipient: p, Link: "/" + r.GetName(), Params: map[string]string{
				"title": r.GetTitle(), "listing": f.Listing, "listing_title": f.Title, "score": score, "country": r.GetDestinationCountryCode(),
			}}},
		})
	}
	return out
}

// Contacts looks up a firm's contact and display name; the match carries
// only names. It returns nil for a firm it cannot find.
type Contacts func(firm string) (display string, c *pb.Contact)

// ForMatch derives the events of a match's life: the proposal, each
// answer, the connection (with the counterpart's contact), the deal.
func ForMatch(m *pb.Match, contacts Contacts) []Event {
	name, at := m.GetName(), updateTime(m.GetUpdateTime().AsTime())
	link := "/" + name
	producers := memberProducers(m)
	base := func() map[string]string {
		return map[string]string{"match": name, "buying_request": m.GetBuyingRequest(), "buyer": m.GetBuyer(),
			"producers": strings.Join(producers, ","), "state": m.GetState().String()}
	}
	var out []Event

	// The proposal goes to every party that did not make it.
	var told []string
	switch m.GetProposedBy() {
	case pb.Party_BUYER:
		told = producers
	case pb.Party_PRODUCER_SIDE:
		told = []string{m.GetBuyer()}
	default:
		told = append([]string{m.GetBuyer()}, producers...)
	}
	out = append(out, Event{ID: string(ProposalReceived) + "/" + name, Type: ProposalReceived, Time: createTime(m), Subject: name,
		Data: base(), Notices: notices(told, link, map[string]string{"from": partyName(m, contacts)})})

	// Each answer goes to the other side; the proposer's own acceptance,
	// made with the proposal, is no news.
	if a := m.GetBuyerAnswer(); (a == pb.Answer_ACCEPTED || a == pb.Answer_DECLINED) && !proposerAccepted(m, a, -1) {
		d := base()
		d["party"], d["answer"] = m.GetBuyer(), a.String()
		out = append(out, Event{ID: fmt.Sprintf("%s/%s/%s/%s", ProposalAnswered, name, m.GetBuyer(), a), Type: ProposalAnswered, Time: at, Subject: name,
			Data: d, Notices: notices(producers, link, map[string]string{"party": displayOf(contacts, m.GetBuyer()), "answer": a.String()})})
	}
	for i, mem := range m.GetMembers() {
		if a := mem.GetAnswer(); (a == pb.Answer_ACCEPTED || a == pb.Answer_DECLINED) && !proposerAccepted(m, a, i) {
			d := base()
			d["party"], d["answer"] = mem.GetProducer(), a.String()
			out = append(out, Event{ID: fmt.Sprintf("%s/%s/%s/%s", ProposalAnswered, name, mem.GetProducer(), a), Type: ProposalAnswered, Time: at, Subject: name,
				Data: d, Notices: notices([]string{m.GetBuyer()}, link, map[string]string{"party": displayOf(contacts, mem.GetProducer()), "answer": a.String()})})
		}
	}

	switch m.GetState() {
	case pb.Match_CONNECTED, pb.Match_CLOSED_DEAL, pb.Match_CLOSED_NO_DEAL:
		// The buyer learns every member's contact, each member the
		// buyer's: the counterparts, as the match itself shows them.
		ev := Event{ID: string(MatchConnected) + "/" + name, Type: MatchConnected, Time: at, Subject: name, Data: base()}
		var lines []string
		for _, p := range producers {
			lines = append(lines, contactLine(contacts, p))
		}
		ev.Notices = append(ev.Notices, Notice{Recipient: m.GetBuyer(), Link: link, Params: map[string]string{"contact": strings.Join(lines, "\n")}})
		for _, p := range producers {
			ev.Notices = append(ev.Notices, Notice{Recipient: p, Link: link, Params: map[string]string{"contact": contactLine(contacts, m.GetBuyer())}})
		}
		out = append(out, ev)
	}
	if m.GetState() == pb.Match_CLOSED_DEAL {
		d := base()
		d["quantity"] = strconv.FormatInt(m.GetDeal().GetQuantity(), 10)
		d["unit"] = m.GetDeal().GetUnit()
		out = append(out, Event{ID: string(DealRecorded) + "/" + name, Type: DealRecorded, Time: at, Subject: name, Data: d,
			Notices: notices(append([]string{m.GetBuyer(), TradeOffice}, producers...), link, map[string]string{"quantity": d["quantity"], "unit": d["unit"]})})
	}
	return out
}

// ForExpiringProposal reminds the parties that have not answered a
// proposal that expires within ProposalExpiryWarning of now.
func ForExpiringProposal(m *pb.Match, now time.Time) []Event {
	if m.GetState() != pb.Match_PROPOSED || m.GetExpireTime() == nil {
		return nil
	}
	exp := m.GetExpireTime().AsTime()
	if !exp.After(now) || exp.Sub(now) > ProposalExpiryWarning {
		return nil
	}
	var pending []string
	if m.GetBuyerAnswer() == pb.Answer_PENDING {
		pending = append(pending, m.GetBuyer())
	}
	for _, mem := range m.GetMembers() {
		if mem.GetAnswer() == pb.Answer_PENDING {
			pending = append(pending, mem.GetProducer())
		}
	}
	if len(pending) == 0 {
		return nil
	}
	expires := exp.UTC().Format(time.RFC3339)
	return []Event{{ID: string(ProposalExpiring) + "/" + m.GetName(), Type: ProposalExpiring, Time: now, Subject: m.GetName(),
		Data:    map[string]string{"match": m.GetName(), "expire_time": expires, "pending": strings.Join(pending, ",")},
		Notices: notices(pending, "/"+m.GetName(), map[string]string{"expire_time": expires})}}
}

// ForVerification tells a firm (producer or buyer) of the trade office's
// decision: one event per firm and decided state.
func ForVerification(firm string, state pb.VerificationState, note string, at time.Time) []Event {
	if state != pb.VerificationState_VERIFIED && state != pb.VerificationState_REJECTED {
		return nil
	}
	return []Event{{ID: fmt.Sprintf("%s/%s/%s", VerificationDecided, firm, state), Type: VerificationDecided, Time: updateTime(at), Subject: firm,
		Data:    map[string]string{"firm": firm, "verification_state": state.String(), "note": note},
		Notices: notices([]string{firm}, "/dashboard", map[string]string{"state": state.String(), "note": note})}}
}

// ForCertificates reminds a producer of each certificate that expires within
// one of CertificateThresholds days, once per certificate and tightest
// threshold reached: a certificate found 5 days before expiry gets the
// 7-day reminder only. Which certificates count is package requirement's
// rule (renewed ones and per-shipment papers do not).
func ForCertificates(p *pb.Producer, now time.Time) []Event {
	var out []Event
	for _, e := range requirement.Expiring([]*pb.Producer{p}, CertificateThresholds[0], false, now) {
		days := int(e.GetDaysToExpiry())
		threshold := CertificateThresholds[0]
		for _, t := range CertificateThresholds {
			if days <= t {
				threshold = t
			}
		}
		c := e.GetCertification()
		exp := c.GetExpiryDate()
		expiry := fmt.Sprintf("%04d-%02d-%02d", exp.GetYear(), exp.GetMonth(), exp.GetDay())
		out = append(out, Event{
			ID:   fmt.Sprintf("%s/%s/%s/%s/%s/%d", CertificateExpiring, p.GetName(), c.GetType(), c.GetNumber(), expiry, threshold),
			Type: CertificateExpiring, Time: now, Subject: p.GetName(),
			Data: map[string]string{"producer": p.GetName(), "type": c.GetType(), "number": c.GetNumber(), "expiry_date": expiry,
				"days_to_expiry": strconv.Itoa(days), "threshold_days": strconv.Itoa(threshold)},
			Notices: notices([]string{p.GetName(), TradeOffice}, "/dashboard", map[string]string{"type": c.GetType(), "expiry_date": expiry, "days": strconv.Itoa(days)}),
		})
	}
	return out
}

// proposerAccepted tells the acceptance a proposer gives with its
// proposal (the buyer's, or the first member's for a producer's proposal)
// from an answer: that one is no news.
func proposerAccepted(m *pb.Match, a pb.Answer, member int) bool {
	if a != pb.Answer_ACCEPTED {
		return false
	}
	switch m.GetProposedBy() {
	case pb.Party_BUYER:
		return member < 0
	case pb.Party_PRODUCER_SIDE:
		return member == 0
	}
	return false
}

func notices(recipients []string, link string, params map[string]string) []Notice {
	out := make([]Notice, 0, len(recipients))
	seen := map[string]bool{}
	for _, r := range recipients {
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, Notice{Recipient: r, Link: link, Params: params})
	}
	return out
}

func memberProducers(m *pb.Match) []string {
	var out []string
	for _, mem := range m.GetMembers() {
		out = append(out, mem.GetProducer())
	}
	return out
}

func partyName(m *pb.Match, contacts Contacts) string {
	switch m.GetProposedBy() {
	case pb.Party_BUYER:
		return displayOf(contacts, m.GetBuyer())
	case pb.Party_PRODUCER_SIDE:
		var names []string
		for _, p := range memberProducers(m) {
			names = append(names, displayOf(contacts, p))
		}
		return strings.Join(names, ", ")
	}
	return "Dinas / trade office"
}

func displayOf(contacts Contacts, firm string) string {
	if contacts != nil {
		if d, _ := contacts(firm); d != "" {
			return d
		}
	}
	return firm
}

// contactLine is a counterpart's contact on one line: the display name,
// the person, phone, WhatsApp as a wa.me click-to-chat link, and e-mail.
func contactLine(contacts Contacts, firm string) string {
	var d string
	var c *pb.Contact
	if contacts != nil {
		d, c = contacts(firm)
	}
	if d == "" {
		d = firm
	}
	parts := []string{d}
	if c.GetPersonName() != "" {
		parts = append(parts, c.GetPersonName())
	}
	if c.GetPhone() != "" {
		parts = append(parts, c.GetPhone())
	}
	if w := c.GetWhatsapp(); w != "" {
		parts = append(parts, "https://wa.me/"+strings.TrimPrefix(w, "+"))
	}
	if c.GetEmail() != "" {
		parts = append(parts, c.GetEmail())
	}
	return strings.Join(parts, " · ")
}

func createTime(m *pb.Match) time.Time {
	if m.GetCreateTime() != nil {
		return m.GetCreateTime().AsTime()
	}
	return updateTime(m.GetUpdateTime().AsTime())
}

// updateTime replaces the zero time of a resource without one.
func updateTime(t time.Time) time.Time {
	if t.Unix() <= 0 {
		return time.Now().UTC()
	}
	return t.UTC()
}
