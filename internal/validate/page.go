package validate

// Page sizes for List methods (AIP-158).
const (
	// DefaultPageSize is used when a client sends page_size 0.
	DefaultPageSize = 50
	// MaxPageSize bounds one page so that a single call cannot read the
	// whole collection.
	MaxPageSize = 500
)

// PageSize returns the page size to use for a List call: DefaultPageSize for
// 0, n itself for 1 to MaxPageSize. A negative n or one above MaxPageSize is
// a violation on field, and DefaultPageSize is returned so that callers can
// carry on collecting violations.
func PageSize(v *Violations, field string, n int32) int32 {
	switch {
	case n == 0:
		return DefaultPageSize
	case n < 0 || n > MaxPageSize:
		v.Addf(field, "is %d; expected 1 to %d, or 0 for the default of %d", n, MaxPageSize, DefaultPageSize)
		return DefaultPageSize
	}
	return n
}
