package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/adiekspor/temubisnis/internal/store"
)

// Server error codes that mean "not now" rather than "not this request".
var unavailableCodes = []int{
	6,     // HostUnreachable
	7,     // HostNotFound
	89,    // NetworkTimeout
	91,    // ShutdownInProgress
	189,   // PrimarySteppedDown
	10107, // NotWritablePrimary
	11600, // InterruptedAtShutdown
	11602, // InterruptedDueToReplStateChange
	13435, // NotPrimaryNoSecondaryOk
	13436, // NotPrimaryOrSecondary
}

// outOfDiskSpace is MongoDB's code for a full disk (14031); FerretDB on
// SQLite reports SQLITE_FULL with its message instead.
const outOfDiskSpace = 14031

// TranslateError turns driver errors that are about the database rather
// than the request into the store's sentinels: store.ErrStorageFull for a
// full disk, store.ErrUnavailable for a lost, refused or unselectable
// server. Other errors are returned unchanged. The message says what a
// caller may be told; the driver's own text (topology dumps, addresses)
// stays out of it, and is logged where the status is built only for
// unexpected errors.
func TranslateError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, store.ErrStorageFull):
		return err
	case storageFull(err):
		return fmt.Errorf("%w: the database has no space left for writes", store.ErrStorageFull)
	case unavailable(err):
		return fmt.Errorf("%w: the database cannot be reached", store.ErrUnavailable)
	}
	return err
}

func storageFull(err error) bool {
	var se mongo.ServerError
	if errors.As(err, &se) && se.HasErrorCode(outOfDiskSpace) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "No space left on device")
}

func unavailable(err error) bool {
	if errors.As(err, &topology.ServerSelectionError{}) || errors.As(err, &topology.ConnectionError{}) {
		return true
	}
	if errors.Is(err, mongo.ErrClientDisconnected) || errors.Is(err, topology.ErrTopologyClosed) {
		return true
	}
	// A network error at the request's own deadline is the deadline's.
	if mongo.IsNetworkError(err) && !errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var se mongo.ServerError
	if errors.As(err, &se) {
		for _, c := range unavailableCodes {
			if se.HasErrorCode(c) {
				return true
			}
		}
	}
	return false
}
