package grpcapi

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// FuzzMaskPaths: no update_mask path makes the field-mask parser panic; a
// path it accepts names a writable field of the message (its first
// segment), and a refused one is a violation of update_mask. Run longer
// with go test ./internal/grpcapi -run '^$' -fuzz FuzzMaskPaths.
func FuzzMaskPaths(f *testing.F) {
	for _, p := range []string{"display_name", "displayName", "contact.phone", "contact.personName", "*", "name", "create_time",
		"export_history", "exportHistory.year", "contact..phone", ".", "", "contact.phone.x", "\xff", "verification_state"} {
		f.Add(p, "village")
	}
	outputOnly := set("name", "create_time", "update_time", "verification_state", "verification_note")
	f.Fuzz(func(t *testing.T, p1, p2 string) {
		var v validate.Violations
		paths := maskPaths(&v, &fieldmaskpb.FieldMask{Paths: []string{p1, p2}}, &pb.Producer{}, outputOnly)
		if err := v.Err(); err != nil {
			if !strings.Contains(err.Error(), "update_mask") {
				t.Fatalf("mask %q, %q: refusal %v does not name update_mask", p1, p2, err)
			}
			return
		}
		fields := (&pb.Producer{}).ProtoReflect().Descriptor().Fields()
		for _, p := range paths {
			top := strings.SplitN(p, ".", 2)[0]
			fd := fields.ByName(protoreflect.Name(top))
			if fd == nil || outputOnly[top] {
				t.Fatalf("mask %q, %q: accepted path %q", p1, p2, p)
			}
		}
		// Applying the accepted paths must not panic either.
		applyPaths(&pb.Producer{}, &pb.Producer{DisplayName: "x", Contact: &pb.Contact{Phone: "+62"}}, paths)
	})
}
