package mongostore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/adiekspor/temubisnis/internal/store"
)

func TestTranslateError(t *testing.T) {
	t.Parallel()
	plain := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want error // nil: unchanged
	}{
		{"SQLite full", fmt.Errorf("insert: %w", mongo.CommandError{Code: 1, Message: "database or disk is full (13)"}), store.ErrStorageFull},
		{"MongoDB out of disk space", mongo.CommandError{Code: outOfDiskSpace, Message: "no space"}, store.ErrStorageFull},
		{"server selection", fmt.Errorf("find: %w", topology.ServerSelectionError{Wrapped: errors.New("connection refused")}), store.ErrUnavailable},
		{"network error", mongo.CommandError{Labels: []string{"NetworkError"}, Wrapped: errors.New("connection reset")}, store.ErrUnavailable},
		{"network error at the deadline", mongo.CommandError{Labels: []string{"NetworkError"}, Wrapped: context.DeadlineExceeded}, nil},
		{"shutting down", mongo.CommandError{Code: 91, Message: "shutdown in progress"}, store.ErrUnavailable},
		{"client disconnected", mongo.ErrClientDisconnected, store.ErrUnavailable},
		{"duplicate key stays", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000}}}, nil},
		{"anything else stays", plain, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TranslateError(tt.err)
			if tt.want == nil {
				if errors.Is(got, store.ErrUnavailable) || errors.Is(got, store.ErrStorageFull) || got.Error() != tt.err.Error() {
					t.Errorf("got %v, want the error unchanged", got)
				}
				return
			}
			if !errors.Is(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if TranslateError(nil) != nil {
		t.Error("nil translated")
	}
}
