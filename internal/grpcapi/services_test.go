package grpcapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matchflow"
	"github.com/adiekspor/temubisnis/internal/quote"
	"github.com/adiekspor/temubisnis/internal/store"
)

// recorder is a grpc.ServiceRegistrar that keeps what is registered.
type recorder map[string]any

func (r recorder) RegisterService(sd *grpc.ServiceDesc, impl any) { r[sd.ServiceName] = impl }

// Every service of the API is registered, each by its own type: a service
// added to proto/ but not to Register fails here.
func TestRegisterRegistersEveryServiceOnce(t *testing.T) {
	var want []string
	protoregistry.GlobalFiles.RangeFilesByPackage("temubisnis.v1", func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Services().Len() {
			want = append(want, string(fd.Services().Get(i).FullName()))
		}
		return true
	})
	if len(want) == 0 {
		t.Fatal("no services found in package temubisnis.v1")
	}
	got := recorder{}
	New(Options{}).Register(got)
	for _, name := range want {
		if got[name] == nil {
			t.Errorf("%s is not registered", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("registered %d services, the API has %d", len(got), len(want))
	}
	types := map[string]string{}
	for name, impl := range got {
		typ := fmt.Sprintf("%T", impl)
		if other, dup := types[typ]; dup {
			t.Errorf("%s and %s are served by the same type %s", name, other, typ)
		}
		types[typ] = name
		if short := strings.TrimPrefix(name, "temubisnis.v1."); typ != "*grpcapi."+short {
			t.Errorf("%s is served by %s; a reader looks for *grpcapi.%s", name, typ, short)
		}
	}
}

// dial serves svc on an in-memory listener and returns a client
// connection to it.
func dial(t *testing.T, svc *Services) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	svc.Register(srv)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// Through a real gRPC client: the services answer by their own names, bad
// input is INVALID_ARGUMENT naming the field before any store is touched,
// and optional services without a store answer UNIMPLEMENTED.
func TestServicesOverGRPCWithoutStores(t *testing.T) {
	conn := dial(t, New(Options{}))
	ctx := context.Background()
	invalidField := func(err error) string {
		st := status.Convert(err)
		if st.Code() != codes.InvalidArgument {
			return "code " + st.Code().String()
		}
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
				return br.GetFieldViolations()[0].GetField()
			}
		}
		return "no field violation"
	}
	for _, tc := range []struct {
		name  string
		call  func() error
		field string
	}{
		{"GetProducer", func() error {
			_, err := pb.NewProducerServiceClient(conn).GetProducer(ctx, &pb.GetProducerRequest{Name: "buyers/x"})
			return err
		}, "name"},
		{"GetBuyingRequest", func() error {
			_, err := pb.NewBuyerServiceClient(conn).GetBuyingRequest(ctx, &pb.GetBuyingRequestRequest{Name: "buyers/x"})
			return err
		}, "name"},
		{"GetRequirement", func() error {
			_, err := pb.NewRequirementServiceClient(conn).GetRequirement(ctx, &pb.GetRequirementRequest{Name: "x"})
			return err
		}, "name"},
		{"GetExchangeRates", func() error {
			_, err := pb.NewSearchServiceClient(conn).GetExchangeRates(ctx, &pb.GetExchangeRatesRequest{Name: "rates"})
			return err
		}, "name"},
		{"CreateMatch", func() error {
			_, err := pb.NewMatchServiceClient(conn).CreateMatch(ctx, &pb.CreateMatchRequest{})
			return err
		}, "match"},
		{"GetQuote", func() error {
			_, err := pb.NewQuoteServiceClient(conn).GetQuote(ctx, &pb.GetQuoteRequest{Name: "quotes/x"})
			return err
		}, "name"},
		{"GetShipment", func() error {
			_, err := pb.NewShipmentServiceClient(conn).GetShipment(ctx, &pb.GetShipmentRequest{Name: "matches/m"})
			return err
		}, "name"},
		{"RenderExportChart", func() error {
			_, err := pb.NewStatisticsServiceClient(conn).RenderExportChart(ctx, &pb.RenderExportChartRequest{Chart: "pie"})
			return err
		}, "chart"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := invalidField(tc.call()); got != tc.field {
				t.Errorf("bad input: %s, want a violation of %q", got, tc.field)
			}
		})
	}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"ListAuditEvents", func() error {
			_, err := pb.NewAuditServiceClient(conn).ListAuditEvents(ctx, &pb.ListAuditEventsRequest{})
			return err
		}},
		{"ListNotifications", func() error {
			_, err := pb.NewNotificationServiceClient(conn).ListNotifications(ctx, &pb.ListNotificationsRequest{Parent: "tradeOffice"})
			return err
		}},
		{"ListWebhookSubscriptions", func() error {
			_, err := pb.NewWebhookServiceClient(conn).ListWebhookSubscriptions(ctx, &pb.ListWebhookSubscriptionsRequest{})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := status.Code(tc.call()); code != codes.Unimplemented {
				t.Errorf("without a store: %s, want UNIMPLEMENTED", code)
			}
		})
	}
}

// The refusals of the domain packages reach callers with their code and
// their own message, mapped in one place; anything else is INTERNAL with a
// correlation id that finds the log line.
func TestDomainErrorsMapToStatus(t *testing.T) {
	_, closed := matchflow.Propose(matchflow.Proposal{Request: &pb.BuyingRequest{Name: "buyers/b/buyingRequests/r", State: pb.BuyingRequest_CLOSED}})
	for _, tc := range []struct {
		name string
		err  error
		code codes.Code
	}{
		{"request not open", closed, codes.FailedPrecondition},
		{"quote cap", quote.CheckCap(20, 20), codes.ResourceExhausted},
		{"proposal cap", fmt.Errorf("%w: producer full", matchflow.ErrTooManyOpen), codes.ResourceExhausted},
		{"not found", fmt.Errorf("%w: producers/x", store.ErrNotFound), codes.NotFound},
		{"busy", store.ErrBusy, codes.Unavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &base{log: slog.New(slog.DiscardHandler)}
			st := status.Convert(b.err(context.Background(), tc.err))
			if st.Code() != tc.code {
				t.Errorf("code %s, want %s", st.Code(), tc.code)
			}
			if tc.code != codes.Unavailable && st.Message() != tc.err.Error() {
				t.Errorf("message %q, want the domain's %q", st.Message(), tc.err.Error())
			}
		})
	}

	var logged bytes.Buffer
	b := &base{log: slog.New(slog.NewTextHandler(&logged, nil)), storeErrors: func(err error) error { return fmt.Errorf("translated: %w", err) }}
	st := status.Convert(b.err(context.Background(), errors.New("disk on fire")))
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "fire") {
		t.Errorf("unexpected error: %s %q", st.Code(), st.Message())
	}
	id := st.Message()[strings.LastIndex(st.Message(), "correlation id ")+len("correlation id "):]
	id, _, _ = strings.Cut(id, " ")
	if !strings.Contains(logged.String(), "translated: disk on fire") || !strings.Contains(logged.String(), id) {
		t.Errorf("log %q lacks the translated error or correlation id %q", logged.String(), id)
	}
}

// Without a match store the policy's question about a match's parties is
// answered NOT_FOUND, not with a panic.
func TestFactsWithoutMatches(t *testing.T) {
	_, _, err := New(Options{}).Facts.MatchParties(context.Background(), "matches/m")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MatchParties: %v, want not found", err)
	}
}
