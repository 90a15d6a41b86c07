package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// limitBody caps the size of REST request bodies.
func limitBody(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeStatus(w, r, status.New(codes.InvalidArgument, "request body too large"),
				"body", fmt.Sprintf("request body is larger than %d bytes", max))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h.ServeHTTP(w, r)
	})
}

var parsingField = regexp.MustCompile(`parsing field "([^"]+)"`)

// gatewayErrorHandler writes errors as google.rpc.Status JSON. Errors from our
// services pass unchanged. Errors the gateway raises itself before calling us
// (a body that is not valid JSON, a query parameter of the wrong type) come
// as bare INVALID_ARGUMENT strings from Go libraries; they are rewritten into
// the same BadRequest field-violation form as every other invalid input.
func gatewayErrorHandler(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	st, _ := status.FromError(err)
	if st.Code() == codes.InvalidArgument && !hasBadRequest(st) {
		field, desc := "body", "request body is not valid JSON for this method"
		msg := st.Message()
		switch {
		case strings.Contains(msg, "request body too large"):
			desc = "request body is too large"
		case parsingField.MatchString(msg):
			field = parsingField.FindStringSubmatch(msg)[1]
			desc = "has a value of the wrong type"
		case strings.Contains(msg, "unknown field"):
			if i := strings.Index(msg, "unknown field"); i >= 0 {
				desc = "request body has an " + strings.TrimSpace(msg[i:])
			}
		case strings.Contains(msg, "invalid value for"):
			desc = "request body has " + strings.TrimSpace(msg[strings.Index(msg, "invalid value for"):])
		}
		err = withViolation(codes.InvalidArgument, "invalid request: "+desc, field, desc)
	}
	retryAfter(w, err)
	if st, _ := status.FromError(err); st.Code() == codes.Unauthenticated {
		// The gateway would set WWW-Authenticate to the bare message; an
		// RFC 6750 challenge tells clients what to do.
		challenge := `Bearer realm="temubisnis"`
		if r.Header.Get("Authorization") != "" {
			desc := strings.Map(func(c rune) rune {
				if c == '"' || c == '\\' || c < ' ' || c > '~' {
					return -1
				}
				return c
			}, st.Message())
			challenge += `, error="invalid_token", error_description="` + desc + `"`
		}
		w = challengeWriter{ResponseWriter: w, challenge: challenge}
	}
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}

// challengeWriter sets WWW-Authenticate just before the status line goes
// out, after the gateway's error handler has set its own.
type challengeWriter struct {
	http.ResponseWriter
	challenge string
}

func (c challengeWriter) WriteHeader(code int) {
	c.Header().Set("WWW-Authenticate", c.challenge)
	c.ResponseWriter.WriteHeader(code)
}

func hasBadRequest(st *status.Status) bool {
	for _, d := range st.Details() {
		if _, ok := d.(*errdetails.BadRequest); ok {
			return true
		}
	}
	return false
}

func withViolation(code codes.Code, msg, field, desc string) error {
	st := status.New(code, msg)
	if d, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: desc}}}); err == nil {
		return d.Err()
	}
	return st.Err()
}

// writeStatus answers outside the gateway in the gateway's error format.
func writeStatus(w http.ResponseWriter, r *http.Request, st *status.Status, field, desc string) {
	err := withViolation(st.Code(), st.Message(), field, desc)
	runtime.DefaultHTTPErrorHandler(r.Context(), runtime.NewServeMux(), &runtime.JSONPb{}, w, r, err)
}

// registerGateway routes every service's REST bindings to conn.
func registerGateway(ctx context.Context, gw *runtime.ServeMux, conn grpc.ClientConnInterface) error {
	return errors.Join(
		pb.RegisterProducerServiceHandlerClient(ctx, gw, pb.NewProducerServiceClient(conn)),
		pb.RegisterBuyerServiceHandlerClient(ctx, gw, pb.NewBuyerServiceClient(conn)),
		pb.RegisterRequirementServiceHandlerClient(ctx, gw, pb.NewRequirementServiceClient(conn)),
		pb.RegisterSearchServiceHandlerClient(ctx, gw, pb.NewSearchServiceClient(conn)),
		pb.RegisterMatchServiceHandlerClient(ctx, gw, pb.NewMatchServiceClient(conn)),
		pb.RegisterAuditServiceHandlerClient(ctx, gw, pb.NewAuditServiceClient(conn)),
		pb.RegisterQuoteServiceHandlerClient(ctx, gw, pb.NewQuoteServiceClient(conn)),
		pb.RegisterShipmentServiceHandlerClient(ctx, gw, pb.NewShipmentServiceClient(conn)),
		pb.RegisterStatisticsServiceHandlerClient(ctx, gw, pb.NewStatisticsServiceClient(conn)),
		pb.RegisterNotificationServiceHandlerClient(ctx, gw, pb.NewNotificationServiceClient(conn)),
		pb.RegisterWebhookServiceHandlerClient(ctx, gw, pb.NewWebhookServiceClient(conn)),
	)
}
