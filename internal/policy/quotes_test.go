package policy

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// The sealed rule of quotes, decided from names alone.
func TestQuoteDecisions(t *testing.T) {
	anon := auth.Anonymous()
	prodA := auth.Principal{Subject: "a", Role: auth.RoleProducer, Resource: "producers/a"}
	prodAB := auth.Principal{Subject: "ab", Role: auth.RoleProducer, Resource: "producers/ab"}
	buyerB := auth.Principal{Subject: "b", Role: auth.RoleBuyer, Resource: "buyers/b"}
	buyerX := auth.Principal{Subject: "x", Role: auth.RoleBuyer, Resource: "buyers/x"}
	const open = "buyers/b/buyingRequests/open"
	const quoteA = open + "/quotes/a"
	pol := New(facts{})
	for _, tc := range []struct {
		name   string
		p      auth.Principal
		method string
		req    any
		want   codes.Code
	}{
		{"firm quotes on an open request", prodA, quote + "CreateQuote", &pb.CreateQuoteRequest{Parent: open, Quote: &pb.Quote{Producer: "producers/a"}}, codes.OK},
		{"firm quotes in another's name", prodA, quote + "CreateQuote", &pb.CreateQuoteRequest{Parent: open, Quote: &pb.Quote{Producer: "producers/ab"}}, codes.PermissionDenied},
		{"firm quotes on a closed request", prodA, quote + "CreateQuote", &pb.CreateQuoteRequest{Parent: "buyers/b/buyingRequests/closed", Quote: &pb.Quote{Producer: "producers/a"}}, codes.NotFound},
		{"buyer writes a quote", buyerB, quote + "CreateQuote", &pb.CreateQuoteRequest{Parent: open}, codes.PermissionDenied},
		{"anonymous quotes", anon, quote + "CreateQuote", &pb.CreateQuoteRequest{Parent: open}, codes.Unauthenticated},
		{"firm reads its quote", prodA, quote + "GetQuote", &pb.GetQuoteRequest{Name: quoteA}, codes.OK},
		{"prefix is not the firm", prodAB, quote + "GetQuote", &pb.GetQuoteRequest{Name: quoteA}, codes.NotFound},
		{"buyer reads", buyerB, quote + "GetQuote", &pb.GetQuoteRequest{Name: quoteA}, codes.OK},
		{"other buyer reads", buyerX, quote + "GetQuote", &pb.GetQuoteRequest{Name: quoteA}, codes.NotFound},
		{"buyer revises", buyerB, quote + "ReviseQuote", &pb.ReviseQuoteRequest{Name: quoteA}, codes.PermissionDenied},
		{"rival revises", prodAB, quote + "ReviseQuote", &pb.ReviseQuoteRequest{Name: quoteA}, codes.NotFound},
		{"firm accepts its own", prodA, quote + "AcceptQuote", &pb.AcceptQuoteRequest{Name: quoteA}, codes.PermissionDenied},
		{"buyer accepts", buyerB, quote + "AcceptQuote", &pb.AcceptQuoteRequest{Name: quoteA}, codes.OK},
		{"other buyer declines", buyerX, quote + "DeclineQuote", &pb.DeclineQuoteRequest{Name: quoteA}, codes.NotFound},
		{"firm compares", prodA, quote + "CompareQuotes", &pb.CompareQuotesRequest{Parent: open}, codes.PermissionDenied},
		{"buyer compares", buyerB, quote + "CompareQuotes", &pb.CompareQuotesRequest{Parent: open}, codes.OK},
		{"other buyer lists", buyerX, quote + "ListQuotes", &pb.ListQuotesRequest{Parent: open}, codes.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := pol.Authorize(context.Background(), tc.p, tc.method, tc.req)
			if got := status.Code(err); got != tc.want {
				t.Fatalf("got %v (%v), want %v", got, err, tc.want)
			}
		})
	}
	list := &pb.ListQuotesRequest{Parent: "buyers/-/buyingRequests/-", Filter: "state = OPEN"}
	if err := pol.Authorize(context.Background(), prodA, quote+"ListQuotes", list); err != nil || list.Filter != `state = OPEN AND producer = "producers/a"` {
		t.Fatalf("a firm's list: %v, filter %q", err, list.Filter)
	}
}
