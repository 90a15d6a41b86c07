package requirement

import (
	"fmt"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// nextStep says, in one or two plain English sentences, what the producer
// should do about requirement r given its standing. The sentences are built
// from the row's own authority, document and lead time, so that a row the
// trade office adds through the API reads as well as the seed rows; the
// verbs depend on the kind because one applies for a permit but arranges a
// treatment.
func nextStep(r *pb.Requirement, st standing) string {
	var s string
	switch {
	case st.status == pb.ReadinessStatus_OBTAINABLE:
		s = shipmentStep(r, st)
	case PerShipment(r) && st.status != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
		s = prerequisiteStep(r, st)
	}
	switch {
	case s != "":
	case st.status == pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
		s = importerStep(r)
	case st.status == pb.ReadinessStatus_MET:
		if st.expiry.IsZero() {
			s = fmt.Sprintf("Nothing to do: %s on file does not expire.", the(docOf(r)))
		} else {
			s = fmt.Sprintf("Nothing to do now: %s on file is valid until %s.", the(docOf(r)), formatDate(st.expiry))
		}
	case st.status == pb.ReadinessStatus_EXPIRING_SOON:
		s = fmt.Sprintf("Renew %s%s before %s (%s)%s; then record the new one as certification type %s.",
			the(docOf(r)), withAuthority(r), formatDate(st.expiry), daysLeft(st.days), renewalLead(r, st.days), r.GetCertificationType())
	case st.status == pb.ReadinessStatus_EXPIRED:
		s = fmt.Sprintf("Renew %s%s%s: the one on file expired on %s; then record the new one as certification type %s.",
			the(docOf(r)), withAuthority(r), leadNote(r), formatDate(st.expiry), r.GetCertificationType())
	default:
		s = obtainStep(r)
		if t := r.GetCertificationType(); t != "" {
			s += "; then record it as certification type " + t + "."
		} else {
			s += "."
		}
	}
	if c := r.GetCondition(); c != "" {
		s = "Only if " + c + ": " + lowerFirst(s)
	} else if r.GetObligation() != pb.Requirement_MANDATORY {
		switch st.status {
		case pb.ReadinessStatus_MET:
		case pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
			// "Recommended" would contradict "it must hold": such a row is
			// one that binds only some goods, such as CITES species.
			s = "Where it applies: " + lowerFirst(s)
		default:
			s = "Recommended, not required: " + lowerFirst(s)
		}
	}
	if r.GetConfirmation() == pb.Requirement_TO_VERIFY {
		s += " This requirement is not yet confirmed: check with the trade office before spending money on it."
	}
	return s
}

// shipmentStep tells a producer that can obtain a per-shipment document
// how to apply for it: where, and how long before departure.
func shipmentStep(r *pb.Requirement, st standing) string {
	s := "For each shipment, apply"
	if a := r.GetAuthority(); a != "" {
		s += " to " + a
	}
	s += " for " + the(docOf(r))
	if ch := r.GetFilingChannel(); ch != "" {
		s += " through " + ch
	}
	if r.ApplyDaysBeforeDeparture != nil {
		s += fmt.Sprintf(", at least %d days before departure", r.GetApplyDaysBeforeDeparture())
	}
	s += "."
	if st.cert != nil {
		s += fmt.Sprintf(" Your %s on file lets you obtain it", st.cert.GetType())
		if !st.expiry.IsZero() {
			s += " while it is valid (until " + formatDate(st.expiry) + ")"
		}
		s += "."
	}
	return s
}

// prerequisiteStep tells a producer what it must hold, or renew, before it
// can obtain a per-shipment document.
func prerequisiteStep(r *pb.Requirement, st standing) string {
	doc := the(docOf(r))
	switch st.status {
	case pb.ReadinessStatus_EXPIRING_SOON:
		return fmt.Sprintf("Renew your %s before %s (%s): without a valid one you cannot obtain %s for a shipment.",
			st.cert.GetType(), formatDate(st.expiry), daysLeft(st.days), doc)
	case pb.ReadinessStatus_EXPIRED:
		return fmt.Sprintf("Renew your %s, which expired on %s: without a valid one you cannot obtain %s for a shipment; then record the new one as certification type %s.",
			st.cert.GetType(), formatDate(st.expiry), doc, st.cert.GetType())
	}
	pre := r.GetPrerequisiteCertificationTypes()
	if len(pre) == 0 {
		return ""
	}
	return fmt.Sprintf("To obtain %s for a shipment you first need %s; then record it as certification type %s.",
		doc, strings.Join(pre, " or "), pre[0])
}

// obtainStep is the first step towards a requirement the producer lacks.
func obtainStep(r *pb.Requirement) string {
	doc, auth := docOf(r), r.GetAuthority()
	var s string
	switch r.GetKind() {
	case pb.Requirement_CERTIFICATE:
		s = "Obtain " + article(doc) + from(auth)
	case pb.Requirement_PERMIT, pb.Requirement_REGISTRATION:
		if auth != "" {
			s = "Apply to " + auth + " for " + doc
		} else {
			s = "Apply for " + doc
		}
	case pb.Requirement_LABELLING:
		s = "Bring the labels in line with " + doc + inParens(auth)
	case pb.Requirement_TREATMENT:
		s = "Arrange " + doc + inParens(auth)
	case pb.Requirement_DECLARATION:
		s = "File " + doc + with(auth)
	default:
		s = "Check the goods against " + doc + inParens(auth)
	}
	return s + leadNote(r)
}

// importerStep tells the producer what to ask of the buyer. A declaration
// is filed per shipment rather than held, so it needs agreeing, not a copy.
func importerStep(r *pb.Requirement) string {
	doc := docOf(r)
	if r.GetKind() == pb.Requirement_DECLARATION {
		return fmt.Sprintf("Agree with the buyer who files %s%s, and send the shipment details in good time. This is the importer's duty, not a gap of yours.",
			the(doc), inParens(r.GetAuthority()))
	}
	return fmt.Sprintf("Tell the buyer that it must hold %s%s before the goods ship, and ask for a copy%s. This is the importer's duty, not a gap of yours.",
		doc, from(r.GetAuthority()), leadNote(r))
}

// docOf names what the row asks for: the document where one is given,
// otherwise the title.
func docOf(r *pb.Requirement) string {
	if d := r.GetDocument(); d != "" {
		return d
	}
	return r.GetTitle()
}

func withAuthority(r *pb.Requirement) string { return with(r.GetAuthority()) }

func from(auth string) string {
	if auth == "" {
		return ""
	}
	return " from " + auth
}

func with(auth string) string {
	if auth == "" {
		return ""
	}
	return " with " + auth
}

func inParens(auth string) string {
	if auth == "" {
		return ""
	}
	return " (" + auth + ")"
}

// leadNote gives the typical lead time where the catalogue knows it.
func leadNote(r *pb.Requirement) string {
	if r.TypicalLeadTimeDays == nil {
		return ""
	}
	return fmt.Sprintf(" (typically about %d days)", r.GetTypicalLeadTimeDays())
}

// renewalLead warns when renewing takes longer than the time left.
func renewalLead(r *pb.Requirement, days *int32) string {
	if r.TypicalLeadTimeDays == nil {
		return ""
	}
	lead := r.GetTypicalLeadTimeDays()
	if days != nil && lead >= *days {
		return fmt.Sprintf("; start now, as it typically takes about %d days", lead)
	}
	return fmt.Sprintf("; it typically takes about %d days", lead)
}

func daysLeft(days *int32) string {
	switch {
	case days == nil:
		return "soon"
	case *days == 0:
		return "it expires today"
	case *days == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", *days)
}

// the puts a definite article before a document name that has none.
func the(doc string) string {
	if hasArticle(doc) {
		return doc
	}
	return "the " + doc
}

// article puts an indefinite article before a document name that has none.
// It goes by the first letter, which is right for the catalogue's names; an
// odd "a FDA ..." in a row the office adds is harmless.
func article(doc string) string {
	if hasArticle(doc) || doc == "" {
		return doc
	}
	if strings.ContainsRune("AEIOUaeiou", rune(doc[0])) {
		return "an " + doc
	}
	return "a " + doc
}

func hasArticle(doc string) bool {
	l := strings.ToLower(doc)
	return strings.HasPrefix(l, "the ") || strings.HasPrefix(l, "a ") || strings.HasPrefix(l, "an ")
}

// lowerFirst lower-cases the first letter of a sentence that gets a prefix,
// unless it starts an acronym or a code ("USDA ...", "ISPM 15").
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || (s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]+('a'-'A')) + s[1:]
}
