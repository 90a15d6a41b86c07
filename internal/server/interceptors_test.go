package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestPanicBecomesInternal(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	intercept := recovery.UnaryServerInterceptor(recovery.WithRecoveryHandlerContext(s.recovered))
	_, err := intercept(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/Y"}, func(context.Context, any) (any, error) {
		var m map[string]int
		m["boom"]++ //nolint:staticcheck // a nil map write panics, which is the point
		return nil, nil
	})
	st, _ := status.FromError(err)
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "nil map") {
		t.Fatalf("panic answered with %v %q", st.Code(), st.Message())
	}
}

func TestDefaultDeadline(t *testing.T) {
	d := deadline(3 * time.Second)
	var got time.Time
	handler := func(ctx context.Context, _ any) (any, error) { got, _ = ctx.Deadline(); return nil, nil }
	if _, err := d(context.Background(), nil, &grpc.UnaryServerInfo{}, handler); err != nil {
		t.Fatal(err)
	}
	if until := time.Until(got); until <= 0 || until > 3*time.Second {
		t.Fatalf("default deadline in %v", until)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	want, _ := ctx.Deadline()
	if _, err := d(ctx, nil, &grpc.UnaryServerInfo{}, handler); err != nil || !got.Equal(want) {
		t.Fatalf("a caller's deadline was replaced: %v vs %v", got, want)
	}
	long, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel2()
	if _, err := d(long, nil, &grpc.UnaryServerInfo{}, handler); err != nil || time.Until(got) > MaxRequestTimeout {
		t.Fatalf("an hour-long deadline was not capped: %v", time.Until(got))
	}
}

func TestGatewayErrorsNameTheField(t *testing.T) {
	tests := map[string]string{
		`parsing field "page_size": strconv.ParseInt: parsing "abc": invalid syntax`: "page_size",
		`proto: syntax error (line 1:2): unexpected token`:                           "body",
		`proto: (line 1:15): unknown field "colour"`:                                 "body",
	}
	for msg, field := range tests {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/v1/producers", nil)
		gatewayErrorHandler(context.Background(), runtime.NewServeMux(), &runtime.JSONPb{}, rec, req, status.Error(codes.InvalidArgument, msg))
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, `"field":"`+field+`"`) {
			t.Errorf("%q: HTTP %d %s", msg, rec.Code, body)
		}
		if strings.Contains(body, "strconv") || strings.Contains(body, "proto:") {
			t.Errorf("%q: Go error text leaked: %s", msg, body)
		}
	}
}
