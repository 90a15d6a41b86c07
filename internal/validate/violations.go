package validate

import (
	"fmt"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Violations collects AIP-193 field violations. The zero value is ready to
// use. It is not safe for concurrent use.
type Violations struct {
	list []*errdetails.BadRequest_FieldViolation
}

// Add records that field is invalid. field is a proto field path such as
// "producer.contact.phone" and description says, in plain English, what is
// wrong and what is expected.
func (v *Violations) Add(field, description string) {
	v.list = append(v.list, &errdetails.BadRequest_FieldViolation{
		Field:       field,
		Description: description,
	})
}

// Addf is Add with a fmt description.
func (v *Violations) Addf(field, format string, args ...any) {
	v.Add(field, fmt.Sprintf(format, args...))
}

// Len returns the number of violations recorded so far.
func (v *Violations) Len() int {
	return len(v.list)
}

// List returns the violations in the order they were added. The slice is a
// copy, so appending to it does not change v.
func (v *Violations) List() []*errdetails.BadRequest_FieldViolation {
	out := make([]*errdetails.BadRequest_FieldViolation, len(v.list))
	copy(out, v.list)
	return out
}

// Err returns nil when no violation was recorded. Otherwise it returns a gRPC
// status error with code InvalidArgument whose details hold one
// errdetails.BadRequest listing every violation. The status message repeats
// the first violation and names a few of the others, for logs and for clients
// that do not read details.
func (v *Violations) Err() error {
	if len(v.list) == 0 {
		return nil
	}
	st := status.New(codes.InvalidArgument, v.message())
	withDetails, err := st.WithDetails(&errdetails.BadRequest{FieldViolations: v.List()})
	if err != nil {
		// Only a marshalling failure gets here, which a BadRequest of plain
		// strings cannot cause; still, a status without details is better
		// than losing the InvalidArgument.
		return st.Err()
	}
	return withDetails.Err()
}

// maxNamedInMessage bounds how many further field names the status message
// lists: the details carry them all, the message only has to be readable.
const maxNamedInMessage = 3

// maxDescriptionInMessage bounds the first description in the status message;
// a district violation, for one, lists all 22 kecamatan.
const maxDescriptionInMessage = 200

func (v *Violations) message() string {
	first := v.list[0]
	var b strings.Builder
	b.WriteString("invalid ")
	if first.GetField() == "" {
		b.WriteString("request")
	} else {
		b.WriteString(first.GetField())
	}
	b.WriteString(": ")
	b.WriteString(truncate(first.GetDescription(), maxDescriptionInMessage))
	if rest := v.list[1:]; len(rest) > 0 {
		fmt.Fprintf(&b, " (and %d more: ", len(rest))
		for i, fv := range rest {
			if i == maxNamedInMessage {
				b.WriteString(", ...")
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(fv.GetField())
		}
		b.WriteString(")")
	}
	return b.String()
}

// join appends a child field to a parent path; an empty parent lets callers
// validate a message that is the request itself.
func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// index names one element of a repeated field, e.g. "certifications[0]".
func index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// mapKey names one entry of a map field, e.g. "attributes[size_cm]". Keys that
// are not plain identifiers are quoted so that brackets, dots or spaces in a
// bad key cannot make the path ambiguous.
func mapKey(path, key string) string {
	if plainKey(key) {
		return path + "[" + key + "]"
	}
	return path + "[" + quote(key) + "]"
}

func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// maxQuoted bounds how much of a caller's value is echoed back in a
// description: enough to recognise it, not a 5000-character essay.
const maxQuoted = 60

// quote shows a caller's value in a description.
func quote(s string) string {
	return fmt.Sprintf("%q", truncate(s, maxQuoted))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "..."
}
