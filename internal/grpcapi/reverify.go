package grpcapi

import (
	"context"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// A verified badge vouches for the firm as the trade office checked it. When
// the firm itself changes what was checked (its legal identity, what kind of
// firm it is, whom it ships for, its certificates; for a buyer its country,
// kind of business and import registrations), the badge no longer vouches
// for the new facts: the firm goes back to PENDING_REVIEW until the office
// looks again. Edits by the trade office keep the state they set. The export
// history is on the list because search and matching present it as evidence
// of export experience under the badge (issue 10 item 13).
var (
	producerReviewed = []protoreflect.Name{"legal_name", "business_id", "kind", "member_producers", "certifications", "exports_in_own_name", "export_history"}
	buyerReviewed    = []protoreflect.Name{"country_code", "business_type", "import_registrations"}
)

// reviewedChanged reports whether any of fields differs between a and b.
func reviewedChanged(a, b proto.Message, fields []protoreflect.Name) bool {
	ma, mb := a.ProtoReflect(), b.ProtoReflect()
	for _, name := range fields {
		fd := ma.Descriptor().Fields().ByName(name)
		if fd == nil {
			continue
		}
		if !ma.Get(fd).Equal(mb.Get(fd)) {
			return true
		}
	}
	return false
}

// selfEdit reports whether the call comes from the firm itself rather than
// the trade office.
func selfEdit(ctx context.Context) bool {
	r := auth.FromContext(ctx).Role
	return r == auth.RoleProducer || r == auth.RoleBuyer
}

func reviewProducer(ctx context.Context, before, after *pb.Producer) {
	if selfEdit(ctx) && after.GetVerificationState() == pb.VerificationState_VERIFIED && reviewedChanged(before, after, producerReviewed) {
		after.VerificationState = pb.VerificationState_PENDING_REVIEW
		after.VerificationNote = "changed by the firm since the last review; the trade office will check it again"
	}
}

func reviewBuyer(ctx context.Context, before, after *pb.Buyer) {
	if selfEdit(ctx) && after.GetVerificationState() == pb.VerificationState_VERIFIED && reviewedChanged(before, after, buyerReviewed) {
		after.VerificationState = pb.VerificationState_PENDING_REVIEW
		after.VerificationNote = "changed by the buyer since the last review; the trade office will check it again"
	}
}
