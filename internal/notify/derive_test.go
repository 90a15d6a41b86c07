package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func ids(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}

func recipients(e Event) []string {
	var out []string
	for _, n := range e.Notices {
		out = append(out, n.Recipient)
	}
	return out
}

func TestForBuyingRequest(t *testing.T) {
	open := &pb.BuyingRequest{Name: "buyers/b/buyingRequests/koi", Title: "Koi", State: pb.BuyingRequest_OPEN}
	fits := []Fit{
		{Producer: "producers/koi-a", Listing: "producers/koi-a/listings/1", Score: 0.6},
		{Producer: "producers/koi-a", Listing: "producers/koi-a/listings/2", Score: 0.9},
		{Producer: "producers/koi-b", Listing: "producers/koi-b/listings/1", Score: 0.7},
		{Producer: "producers/weak", Listing: "producers/weak/listings/1", Score: 0.2},
	}
	tests := []struct {
		name string
		r    *pb.BuyingRequest
		want []string
	}{
		{"one per producer above the threshold", open, []string{
			"request.fits/buyers/b/buyingRequests/koi/producers/koi-a",
			"request.fits/buyers/b/buyingRequests/koi/producers/koi-b",
		}},
		{"closed requests tell nobody", &pb.BuyingRequest{Name: open.Name, State: pb.BuyingRequest_CLOSED}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := ForBuyingRequest(tc.r, fits, 0.5)
			if diff := cmp.Diff(tc.want, ids(evs)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			for _, e := range evs {
				if e.Data["producer"] == "producers/koi-a" && e.Data["listing"] != "producers/koi-a/listings/2" {
					t.Errorf("best listing of koi-a: %s", e.Data["listing"])
				}
			}
		})
	}
	// The same request again gives the same ids: the store deduplicates.
	if diff := cmp.Diff(ids(ForBuyingRequest(open, fits, 0.5)), ids(ForBuyingRequest(open, fits, 0.5))); diff != "" {
		t.Error(diff)
	}
}

func TestForMatch(t *testing.T) {
	now := timestamppb.New(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	contacts := func(firm string) (string, *pb.Contact) {
		return "Name of " + firm, &pb.Contact{Email: firm + "@example.com", Whatsapp: "+6281234567890"}
	}
	base := func(state pb.Match_State, buyer pb.Answer, member pb.Answer) *pb.Match {
		return &pb.Match{Name: "matches/m", Buyer: "buyers/b", BuyingRequest: "buyers/b/buyingRequests/r", ProposedBy: pb.Party_TRADE_OFFICE,
			State: state, BuyerAnswer: buyer, UpdateTime: now, CreateTime: now,
			Members: []*pb.MatchMember{{Producer: "producers/p", Answer: member}}}
	}
	// The buyer's proposal accepts for the buyer: no news to anyone.
	proposed := base(pb.Match_PROPOSED, pb.Answer_ACCEPTED, pb.Answer_PENDING)
	proposed.ProposedBy = pb.Party_BUYER
	withdrawn := base(pb.Match_DECLINED, pb.Answer_DECLINED, pb.Answer_PENDING)
	withdrawn.ProposedBy = pb.Party_BUYER
	tests := []struct {
		name string
		m    *pb.Match
		want []string
	}{
		{"proposed by the buyer", proposed, []string{"proposal.received/matches/m"}},
		{"the buyer accepts the office's proposal", base(pb.Match_PROPOSED, pb.Answer_ACCEPTED, pb.Answer_PENDING), []string{
			"proposal.received/matches/m", "proposal.answered/matches/m/buyers/b/ACCEPTED",
		}},
		{"the buyer withdraws its proposal", withdrawn, []string{
			"proposal.received/matches/m", "proposal.answered/matches/m/buyers/b/DECLINED",
		}},
		{"connected", base(pb.Match_CONNECTED, pb.Answer_ACCEPTED, pb.Answer_ACCEPTED), []string{
			"proposal.received/matches/m", "proposal.answered/matches/m/buyers/b/ACCEPTED",
			"proposal.answered/matches/m/producers/p/ACCEPTED", "match.connected/matches/m",
		}},
		{"deal", base(pb.Match_CLOSED_DEAL, pb.Answer_ACCEPTED, pb.Answer_ACCEPTED), []string{
			"proposal.received/matches/m", "proposal.answered/matches/m/buyers/b/ACCEPTED",
			"proposal.answered/matches/m/producers/p/ACCEPTED", "match.connected/matches/m", "deal.recorded/matches/m",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := ForMatch(tc.m, contacts)
			if diff := cmp.Diff(tc.want, ids(evs)); diff != "" {
				t.Fatalf("ids (-want +got):\n%s", diff)
			}
			want := []string{"producers/p"}
			if tc.m.GetProposedBy() == pb.Party_TRADE_OFFICE {
				want = []string{"buyers/b", "producers/p"}
			}
			if got := recipients(evs[0]); !cmp.Equal(got, want) {
				t.Errorf("the proposal goes to %v, want %v", got, want)
			}
			for _, e := range evs {
				if e.Type != MatchConnected {
					continue
				}
				for _, n := range e.Notices {
					want := "buyers/b@example.com"
					if n.Recipient == "buyers/b" {
						want = "producers/p@example.com"
					}
					if c := n.Params["contact"]; !strings.Contains(c, want) || !strings.Contains(c, "https://wa.me/6281234567890") {
						t.Errorf("%s sees contact %q, want the counterpart's %s and a wa.me link", n.Recipient, c, want)
					}
				}
			}
		})
	}
}

func TestForExpiringProposal(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	m := func(exp time.Duration, state pb.Match_State) *pb.Match {
		return &pb.Match{Name: "matches/m", Buyer: "buyers/b", State: state, BuyerAnswer: pb.Answer_ACCEPTED, ExpireTime: timestamppb.New(now.Add(exp)),
			Members: []*pb.MatchMember{{Producer: "producers/p", Answer: pb.Answer_PENDING}, {Producer: "producers/q", Answer: pb.Answer_ACCEPTED}}}
	}
	if evs := ForExpiringProposal(m(24*time.Hour, pb.Match_PROPOSED), now); len(evs) != 1 || !cmp.Equal(recipients(evs[0]), []string{"producers/p"}) {
		t.Errorf("within the warning: %+v, want one event for the member that has not answered", evs)
	}
	for _, tc := range []struct {
		exp   time.Duration
		state pb.Match_State
	}{{72 * time.Hour, pb.Match_PROPOSED}, {-time.Hour, pb.Match_PROPOSED}, {time.Hour, pb.Match_CONNECTED}} {
		if evs := ForExpiringProposal(m(tc.exp, tc.state), now); len(evs) != 0 {
			t.Errorf("expiry in %v, state %v: %v, want none", tc.exp, tc.state, ids(evs))
		}
	}
}

func TestForVerification(t *testing.T) {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if evs := ForVerification("producers/p", pb.VerificationState_VERIFIED, "ok", at); len(evs) != 1 || evs[0].ID != "verification.decided/producers/p/VERIFIED" {
		t.Errorf("verified: %v", ids(evs))
	}
	if evs := ForVerification("producers/p", pb.VerificationState_PENDING_REVIEW, "", at); len(evs) != 0 {
		t.Errorf("pending is no decision: %v", ids(evs))
	}
}

func TestForCertificates(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC) // 10:00 in Blitar
	cert := func(typ string, days int) *pb.Certification {
		d := now.AddDate(0, 0, days)
		return &pb.Certification{Type: typ, Number: "N1", ExpiryDate: &date.Date{Year: int32(d.Year()), Month: int32(d.Month()), Day: int32(d.Day())}}
	}
	p := &pb.Producer{Name: "producers/p", Certifications: []*pb.Certification{cert("CKIB", 5), cert("HALAL", 45), cert("PIRT", 90), cert("SVLK", 30)}}
	got := ids(ForCertificates(p, now))
	want := []string{
		"certificate.expiring/producers/p/CKIB/N1/2026-12-06/7",
		"certificate.expiring/producers/p/SVLK/N1/2026-12-31/30",
		"certificate.expiring/producers/p/HALAL/N1/2027-01-15/60",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

func TestPreferences(t *testing.T) {
	muted := Settings{MutedTypes: []string{string(RequestFits)}}
	if muted.Sends(RequestFits) || !muted.Sends(MatchConnected) {
		t.Error("muted types stay in the inbox, the others go out")
	}
	if (Settings{EmailDisabled: true}).Sends(MatchConnected) {
		t.Error("e-mail off sends nothing")
	}
	sub := Subscription{EventTypes: []string{string(DealRecorded)}}
	if !sub.Wants(DealRecorded) || sub.Wants(RequestFits) || !(Subscription{}).Wants(RequestFits) {
		t.Error("a subscription wants its types, or all when it names none")
	}
}
