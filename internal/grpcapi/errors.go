package grpcapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/adiekspor/temubisnis/internal/matchflow"
	"github.com/adiekspor/temubisnis/internal/quote"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// toStatus maps every error a handler can meet to a gRPC status, in one place.
// Store errors carry messages written for callers; anything unexpected is
// logged in full and answered with a generic message and a correlation id
// that finds the log line.
func toStatus(ctx context.Context, log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, store.ErrAlreadyExists):
		return status.Error(codes.AlreadyExists, err.Error())
	case errors.Is(err, store.ErrConflict):
		return status.Error(codes.Aborted, err.Error())
	case errors.Is(err, store.ErrFailedPrecondition):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.Is(err, matchflow.ErrTooManyOpen), errors.Is(err, quote.ErrTooMany):
		return status.Error(codes.ResourceExhausted, err.Error())
	case errors.Is(err, store.ErrBusy):
		return Unavailable(ReasonResourceBusy, err.Error(), ResourceBusyRetry)
	case errors.Is(err, store.ErrStorageFull):
		return Unavailable(ReasonStorageFull, "storage is full: writes are refused until space is freed; reads still work", StorageFullRetry)
	case errors.Is(err, store.ErrUnavailable):
		return Unavailable(ReasonStoreUnavailable, "the database cannot be reached; retry shortly", StoreUnavailableRetry)
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "the request took too long")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "the request was cancelled")
	}
	id := correlationID()
	log.ErrorContext(ctx, "internal error", "error", err, "correlation_id", id)
	return status.Errorf(codes.Internal, "internal error; quote correlation id %s when reporting it", id)
}

// ErrorInfo reasons of UNAVAILABLE answers, for clients and for the
// server's storage metrics.
const (
	ReasonStoreUnavailable = "STORE_UNAVAILABLE"
	ReasonStorageFull      = "STORAGE_FULL"
	// ReasonResourceBusy: another request is writing the resource.
	ReasonResourceBusy = "RESOURCE_BUSY"
)

// Retry hints. A lost connection usually comes back within seconds (the
// driver reconnects on its own); a full disk needs an operator.
const (
	StoreUnavailableRetry = 5 * time.Second
	StorageFullRetry      = 60 * time.Second
	ResourceBusyRetry     = time.Second
)

// Unavailable is UNAVAILABLE with an ErrorInfo naming the reason and a
// RetryInfo (which the REST gateway turns into Retry-After).
func Unavailable(reason, msg string, retry time.Duration) error {
	st, err := status.New(codes.Unavailable, msg).WithDetails(
		&errdetails.ErrorInfo{Reason: reason, Domain: "temubisnis"},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(retry)},
	)
	if err != nil {
		return status.Error(codes.Unavailable, msg)
	}
	return st.Err()
}

// UnavailableReason returns the ErrorInfo reason of an UNAVAILABLE status,
// or "".
func UnavailableReason(err error) string {
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.Unavailable {
		return ""
	}
	for _, d := range st.Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			return ei.GetReason()
		}
	}
	return ""
}

func correlationID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// invalid returns INVALID_ARGUMENT with a single field violation.
func invalid(field, description string) error {
	var v validate.Violations
	v.Add(field, description)
	return v.Err()
}
