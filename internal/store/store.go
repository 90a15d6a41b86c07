// Package store holds what the API layer and the storage implementation share:
// the errors a store reports and the shape of a list query. It knows nothing
// about MongoDB or protobuf wire formats.
package store

import (
	"errors"

	"github.com/adiekspor/temubisnis/internal/query"
)

// Errors a store returns, wrapped with a message that is safe to show to the
// caller. Compare with errors.Is.
var (
	// ErrNotFound: no resource has that name.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: the name, or a field that must be unique, is taken.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict: the etag did not match, or another write came in between
	// the read and the write; the write did not happen.
	ErrConflict = errors.New("conflict")
	// ErrFailedPrecondition: the resource is not in a state that allows the
	// operation, e.g. a producer that still has listings.
	ErrFailedPrecondition = errors.New("failed precondition")
	// ErrUnavailable: the database cannot be reached or cannot serve the
	// operation right now (connection lost or refused, no server to
	// select, shutting down). Nothing was changed that the caller cannot
	// retry; retrying later may succeed.
	ErrUnavailable = errors.New("storage unavailable")
	// ErrBusy: another request is writing the resource right now; the
	// write did not happen and may be retried shortly as it is.
	ErrBusy = errors.New("busy")
	// ErrStorageFull: the database has no space left; the write did not
	// happen. Reads still work.
	ErrStorageFull = errors.New("storage full")
)

// ListOptions selects one page of a collection, ordered by resource name.
type ListOptions struct {
	// Parent restricts the list to the children of one resource; empty means
	// every parent ("producers/-").
	Parent string
	// Conditions are ANDed.
	Conditions []query.Condition
	// PageSize is the number of items to return, at least 1.
	PageSize int
	// After is the name of the last item of the previous page (keyset paging).
	After string
}
