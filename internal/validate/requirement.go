package validate

import (
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Limits on a requirement's fields.
const (
	maxSourceTitle      = 300
	maxVerificationNote = 1000
	maxRequirementLead  = 730 // two years: no permit in the catalogue takes longer
	maxPrerequisites    = 20
)

// Requirement checks a catalogue requirement's input fields. field is the
// path of the requirement in the request, usually "requirement".
//
// Only the trade office writes the catalogue, but its rows decide what every
// readiness report says, so they are checked as strictly as a producer's
// input: a row that can match no product, or an exporter-side row without a
// certification type, would silently make reports wrong.
func Requirement(v *Violations, field string, r *pb.Requirement) {
	if r == nil {
		v.Add(field, "is required")
		return
	}
	text(v, join(field, "title"), r.GetTitle(), maxName, true)

	// A row with neither would apply to every product in the world, which no
	// rule does. It is reported on category because most rows are scoped by
	// category, the HS prefix only narrowing them further.
	if r.GetHsPrefix() == "" && r.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED {
		v.Add(join(field, "category"), "needs a category, an hs_prefix or both, so that the requirement applies to some products and not to all")
	}
	checkHSPrefix(v, join(field, "hs_prefix"), r.GetHsPrefix())
	requirementScope(v, join(field, "hs_prefix"), r.GetCategory(), r.GetHsPrefix())
	enum(v, join(field, "category"), r.GetCategory(), false)
	// Empty means the exporting side (Indonesia), whatever the destination.
	checkCountry(v, join(field, "destination_country_code"), r.GetDestinationCountryCode(), false)

	enum(v, join(field, "kind"), r.GetKind(), true)
	enum(v, join(field, "obligation"), r.GetObligation(), true)
	enum(v, join(field, "responsible_party"), r.GetResponsibleParty(), true)
	enum(v, join(field, "confirmation"), r.GetConfirmation(), true)

	text(v, join(field, "authority"), r.GetAuthority(), maxShort, false)
	text(v, join(field, "document"), r.GetDocument(), maxShort, false)
	requirementCertificationType(v, join(field, "certification_type"), r)

	if r.TypicalLeadTimeDays != nil {
		if d := r.GetTypicalLeadTimeDays(); d < 0 || d > maxRequirementLead {
			v.Addf(join(field, "typical_lead_time_days"), "is %d; expected 0 to %d days, or unset when unknown", d, maxRequirementLead)
		}
	}
	checkMoney(v, join(field, "typical_cost"), r.GetTypicalCost())

	text(v, join(field, "explanation_en"), r.GetExplanationEn(), maxDescription, false)
	text(v, join(field, "explanation_id"), r.GetExplanationId(), maxDescription, false)
	// A confirmed rule is stated as fact, so it must say where a person can
	// check it (the December 2026 audit found rows that did not).
	if r.GetConfirmation() == pb.Requirement_CONFIRMED && strings.TrimSpace(r.GetSourceTitle()) == "" {
		v.Add(join(field, "source_title"), "is required when confirmation is CONFIRMED: name the public source that settles the rule (title, and source_uri where it has a link), or set confirmation to TO_VERIFY")
	}
	text(v, join(field, "source_title"), r.GetSourceTitle(), maxSourceTitle, false)
	checkURI(v, join(field, "source_uri"), r.GetSourceUri())
	text(v, join(field, "verification_note"), r.GetVerificationNote(), maxVerificationNote, false)

	if d := r.GetLastCheckedDate(); d != nil && !Date(d) {
		v.Addf(join(field, "last_checked_date"), "is %04d-%02d-%02d; expected a complete calendar date, or unset", d.GetYear(), d.GetMonth(), d.GetDay())
	}
	enum(v, join(field, "issuance"), r.GetIssuance(), false)
	text(v, join(field, "filing_channel"), r.GetFilingChannel(), maxShort, false)
	if r.ApplyDaysBeforeDeparture != nil {
		if d := r.GetApplyDaysBeforeDeparture(); d < 0 || d > maxRequirementLead {
			v.Addf(join(field, "apply_days_before_departure"), "is %d; expected 0 to %d days, or unset when unknown", d, maxRequirementLead)
		}
	}
	if n := len(r.GetPrerequisiteCertificationTypes()); n > maxPrerequisites {
		v.Addf(join(field, "prerequisite_certification_types"), "has %d entries; at most %d", n, maxPrerequisites)
	}
	for i, t := range r.GetPrerequisiteCertificationTypes() {
		checkCertificationType(v, index(join(field, "prerequisite_certification_types"), i), t, true)
	}
	text(v, join(field, "condition"), r.GetCondition(), maxVerificationNote, false)
}

// requirementScope rejects a row whose category and HS prefix cannot both
// match one product: listings are held to the same categories' codes, so
// such a row would apply to nothing and its absence from every report would
// go unnoticed. A shorter prefix ("03" for fish) is fine, it only narrows
// less.
func requirementScope(v *Violations, path string, category pb.Category, prefix string) {
	want, ok := categoryHS[category]
	if !ok || !HSPrefix(prefix) || strings.HasPrefix(prefix, want.prefix) || strings.HasPrefix(want.prefix, prefix) {
		return
	}
	v.Addf(path, "category and HS prefix disagree: category %s covers codes starting with %s (%s), so a row for %s would apply to no product; fix the prefix or the category", category, want.prefix, want.what, prefix)
}

// requirementCertificationType requires the type on exporter-side rows: the
// readiness check meets such a row only with a producer's certificate of
// that type, so without one the row could never be met.
func requirementCertificationType(v *Violations, path string, r *pb.Requirement) {
	s := r.GetCertificationType()
	if s == "" && r.GetResponsibleParty() == pb.Requirement_EXPORTER {
		v.Add(path, `is required when responsible_party is EXPORTER: the readiness check looks for a producer's certificate of this type; expected an upper-case code such as "CKIB" or "PHYTOSANITARY"`)
		return
	}
	checkCertificationType(v, path, s, false)
}

// NormalizeRequirement tidies what the trade office typed into a
// requirement: trimmed strings, an HS prefix without dots or spaces,
// upper-case destination, certification type and currency codes, and an
// empty cost dropped. Output-only fields and etag are left alone. A nil r is
// a no-op.
func NormalizeRequirement(r *pb.Requirement) {
	if r == nil {
		return
	}
	r.Title = strings.TrimSpace(r.Title)
	r.HsPrefix = normalizeHS(r.HsPrefix)
	r.DestinationCountryCode = upper(r.DestinationCountryCode)
	r.Authority = strings.TrimSpace(r.Authority)
	r.Document = strings.TrimSpace(r.Document)
	r.CertificationType = upper(r.CertificationType)
	r.TypicalCost = normalizeMoney(r.TypicalCost)
	r.ExplanationEn = strings.TrimSpace(r.ExplanationEn)
	r.ExplanationId = strings.TrimSpace(r.ExplanationId)
	r.SourceTitle = strings.TrimSpace(r.SourceTitle)
	r.SourceUri = strings.TrimSpace(r.SourceUri)
	r.VerificationNote = strings.TrimSpace(r.VerificationNote)
	r.FilingChannel = strings.TrimSpace(r.FilingChannel)
	r.Condition = strings.TrimSpace(r.Condition)
	for i, t := range r.PrerequisiteCertificationTypes {
		r.PrerequisiteCertificationTypes[i] = upper(t)
	}
}
