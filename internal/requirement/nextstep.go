package requirement

import (
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/i18n"
)

// lang is the language of a next step: English for everyone, Indonesian
// for the producers of Blitar (ReadinessItem.next_step_id). Both are built
// from the same row and standing, so they say the same thing.
type lang = i18n.Lang

const (
	english    = i18n.English
	indonesian = i18n.Indonesian
)

// nextStep says, in one or two plain sentences, what the producer should do
// about requirement r given its standing. The sentences are built from the
// row's own authority, document and lead time, so that a row the trade
// office adds through the API reads as well as the seed rows; the verbs
// depend on the kind because one applies for a permit but arranges a
// treatment.
func nextStep(l lang, r *pb.Requirement, st standing) string {
	var s string
	switch {
	case st.status == pb.ReadinessStatus_OBTAINABLE:
		s = shipmentStep(l, r, st)
	case PerShipment(r) && st.status != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
		s = prerequisiteStep(l, r, st)
	}
	switch {
	case s != "":
	case st.status == pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
		s = importerStep(l, r)
	case st.status == pb.ReadinessStatus_MET:
		if st.expiry.IsZero() {
			s = l.Sayf("Nothing to do: %s on file does not expire.", "Tidak perlu apa-apa: %s yang tercatat tidak habis berlaku.", the(l, docOf(r)))
		} else {
			s = l.Sayf("Nothing to do now: %s on file is valid until %s.", "Saat ini tidak perlu apa-apa: %s yang tercatat berlaku sampai %s.", the(l, docOf(r)), formatDate(st.expiry))
		}
	case st.status == pb.ReadinessStatus_EXPIRING_SOON:
		s = l.Sayf("Renew %s%s before %s (%s)%s; then record the new one as certification type %s.",
			"Perpanjang %s%s sebelum %s (%s)%s; lalu catat yang baru sebagai sertifikat jenis %s.",
			the(l, docOf(r)), withAuthority(l, r), formatDate(st.expiry), daysLeft(l, st.days), renewalLead(l, r, st.days), r.GetCertificationType())
	case st.status == pb.ReadinessStatus_EXPIRED:
		s = l.Sayf("Renew %s%s%s: the one on file expired on %s; then record the new one as certification type %s.",
			"Perpanjang %s%s%s: yang tercatat habis berlaku pada %s; lalu catat yang baru sebagai sertifikat jenis %s.",
			the(l, docOf(r)), withAuthority(l, r), leadNote(l, r), formatDate(st.expiry), r.GetCertificationType())
	default:
		s = obtainStep(l, r)
		if t := r.GetCertificationType(); t != "" {
			s += l.Say("; then record it as certification type ", "; lalu catat sebagai sertifikat jenis ") + t + "."
		} else {
			s += "."
		}
	}
	if c := r.GetCondition(); c != "" {
		s = l.Sayf("Only if %s: ", "Hanya jika %s: ", c) + lowerFirst(s)
	} else if r.GetObligation() != pb.Requirement_MANDATORY {
		switch st.status {
		case pb.ReadinessStatus_MET:
		case pb.ReadinessStatus_IMPORTER_RESPONSIBILITY:
			// "Recommended" would contradict "it must hold": such a row is
			// one that binds only some goods, such as CITES species.
			s = l.Say("Where it applies: ", "Bila berlaku: ") + lowerFirst(s)
		default:
			s = l.Say("Recommended, not required: ", "Disarankan, tidak wajib: ") + lowerFirst(s)
		}
	}
	if r.GetConfirmation() == pb.Requirement_TO_VERIFY {
		s += l.Say(" This requirement is not yet confirmed: check with the trade office before spending money on it.",
			" Syarat ini belum dipastikan: tanyakan ke Disperindag sebelum mengeluarkan biaya untuknya.")
	}
	return s
}

// shipmentStep tells a producer that can obtain a per-shipment document
// how to apply for it: where, and how long before departure.
func shipmentStep(l lang, r *pb.Requirement, st standing) string {
	s := l.Say("For each shipment, apply", "Untuk setiap pengiriman, ajukan")
	if l == english {
		if a := r.GetAuthority(); a != "" {
			s += " to " + a
		}
		s += " for " + the(l, docOf(r))
	} else {
		s += " " + docOf(r)
		if a := r.GetAuthority(); a != "" {
			s += " ke " + a
		}
	}
	if ch := r.GetFilingChannel(); ch != "" {
		s += l.Say(" through ", " melalui ") + ch
	}
	if r.ApplyDaysBeforeDeparture != nil {
		s += l.Sayf(", at least %d days before departure", ", paling lambat %d hari sebelum keberangkatan", r.GetApplyDaysBeforeDeparture())
	}
	s += "."
	if st.cert != nil {
		s += l.Sayf(" Your %s on file lets you obtain it", " %s Anda yang tercatat membuat Anda bisa memperolehnya", st.cert.GetType())
		if !st.expiry.IsZero() {
			s += l.Say(" while it is valid (until ", " selama masih berlaku (sampai ") + formatDate(st.expiry) + ")"
		}
		s += "."
	}
	return s
}

// prerequisiteStep tells a producer what it must hold, or renew, before it
// can obtain a per-shipment document.
func prerequisiteStep(l lang, r *pb.Requirement, st standing) string {
	doc := the(l, docOf(r))
	switch st.status {
	case pb.ReadinessStatus_EXPIRING_SOON:
		return l.Sayf("Renew your %s before %s (%s): without a valid one you cannot obtain %s for a shipment.",
			"Perpanjang %s Anda sebelum %s (%s): tanpa yang berlaku Anda tidak bisa memperoleh %s untuk pengiriman.",
			st.cert.GetType(), formatDate(st.expiry), daysLeft(l, st.days), doc)
	case pb.ReadinessStatus_EXPIRED:
		return l.Sayf("Renew your %s, which expired on %s: without a valid one you cannot obtain %s for a shipment; then record the new one as certification type %s.",
			"Perpanjang %s Anda, yang habis berlaku pada %s: tanpa yang berlaku Anda tidak bisa memperoleh %s untuk pengiriman; lalu catat yang baru sebagai sertifikat jenis %s.",
			st.cert.GetType(), formatDate(st.expiry), doc, st.cert.GetType())
	}
	pre := r.GetPrerequisiteCertificationTypes()
	if len(pre) == 0 {
		return ""
	}
	return l.Sayf("To obtain %s for a shipment you first need %s; then record it as certification type %s.",
		"Untuk memperoleh %s bagi pengiriman, Anda terlebih dulu memerlukan %s; lalu catat sebagai sertifikat jenis %s.",
		doc, strings.Join(pre, l.Say(" or ", " atau ")), pre[0])
}

// obtainStep is the first step towards a requirement the producer lacks.
func obtainStep(l lang, r *pb.Requirement) string {
	doc, auth := docOf(r), r.GetAuthority()
	var s string
	switch r.GetKind() {
	case pb.Requirement_CERTIFICATE:
		s = l.Say("Obtain ", "Urus ") + article(l, doc) + from(l, auth)
	case pb.Requirement_PERMIT, pb.Requirement_REGISTRATION:
		switch {
		case l == indonesian && auth != "":
			s = "Ajukan " + doc + " ke " + auth
		case l == indonesian:
			s = "Ajukan " + doc
		case auth != "":
			s = "Apply to " + auth + " for " + doc
		default:
			s = "Apply for " + doc
		}
	case pb.Requirement_LABELLING:
		s = l.Say("Bring the labels in line with ", "Sesuaikan label dengan ") + doc + inParens(auth)
	case pb.Requirement_TREATMENT:
		s = l.Say("Arrange ", "Atur ") + doc + inParens(auth)
	case pb.Requirement_DECLARATION:
		s = l.Say("File ", "Ajukan ") + doc + with(l, auth)
	default:
		s = l.Say("Check the goods against ", "Periksa barang terhadap ") + doc + inParens(auth)
	}
	return s + leadNote(l, r)
}

// importerStep tells the producer what to ask of the buyer. A declaration
// is filed per shipment rather than held, so it needs agreeing, not a copy.
func importerStep(l lang, r *pb.Requirement) string {
	doc := docOf(r)
	if r.GetKind() == pb.Requirement_DECLARATION {
		return l.Sayf("Agree with the buyer who files %s%s, and send the shipment details in good time. This is the importer's duty, not a gap of yours.",
			"Sepakati dengan pembeli siapa yang mengajukan %s%s, dan kirim data pengiriman tepat waktu. Ini kewajiban importir, bukan kekurangan Anda.",
			the(l, doc), inParens(r.GetAuthority()))
	}
	return l.Sayf("Tell the buyer that it must hold %s%s before the goods ship, and ask for a copy%s. This is the importer's duty, not a gap of yours.",
		"Beri tahu pembeli bahwa ia harus memiliki %s%s sebelum barang dikirim, dan minta salinannya%s. Ini kewajiban importir, bukan kekurangan Anda.",
		doc, from(l, r.GetAuthority()), leadNote(l, r))
}

// docOf names what the row asks for: the document where one is given,
// otherwise the title.
func docOf(r *pb.Requirement) string {
	if d := r.GetDocument(); d != "" {
		return d
	}
	return r.GetTitle()
}

func withAuthority(l lang, r *pb.Requirement) string { return with(l, r.GetAuthority()) }

func from(l lang, auth string) string {
	if auth == "" {
		return ""
	}
	return l.Say(" from ", " dari ") + auth
}

func with(l lang, auth string) string {
	if auth == "" {
		return ""
	}
	return l.Say(" with ", " ke ") + auth
}

func inParens(auth string) string {
	if auth == "" {
		return ""
	}
	return " (" + auth + ")"
}

// leadNote gives the typical lead time where the catalogue knows it.
func leadNote(l lang, r *pb.Requirement) string {
	if r.TypicalLeadTimeDays == nil {
		return ""
	}
	return l.Sayf(" (typically about %d days)", " (biasanya sekitar %d hari)", r.GetTypicalLeadTimeDays())
}

// renewalLead warns when renewing takes longer than the time left.
func renewalLead(l lang, r *pb.Requirement, days *int32) string {
	if r.TypicalLeadTimeDays == nil {
		return ""
	}
	lead := r.GetTypicalLeadTimeDays()
	if days != nil && lead >= *days {
		return l.Sayf("; start now, as it typically takes about %d days", "; mulai sekarang, karena biasanya perlu sekitar %d hari", lead)
	}
	return l.Sayf("; it typically takes about %d days", "; biasanya perlu sekitar %d hari", lead)
}

func daysLeft(l lang, days *int32) string {
	switch {
	case days == nil:
		return l.Say("soon", "segera")
	case *days == 0:
		return l.Say("it expires today", "habis berlaku hari ini")
	case *days == 1:
		return l.Say("1 day left", "sisa 1 hari")
	}
	return l.Sayf("%d days left", "sisa %d hari", *days)
}

// the puts a definite article before a document name that has none
// (Indonesian has no articles).
func the(l lang, doc string) string {
	if l == indonesian || hasArticle(doc) {
		return doc
	}
	return "the " + doc
}

// article puts an indefinite article before a document name that has none.
// It goes by the first letter, which is right for the catalogue's names; an
// odd "a FDA ..." in a row the office adds is harmless.
func article(l lang, doc string) string {
	if l == indonesian || hasArticle(doc) || doc == "" {
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
