package catalogsync

import (
	"fmt"
	"slices"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/query"
)

// producerStrings are the string fields of a producer the stored form holds
// verbatim (for needed).
var producerStrings = []string{"display_name", "district", "business_id", "language_codes", "export_history.country_code", "certifications.type"}

// producerFilter turns AIP-160 conditions on producers into a test with the
// semantics of mongostore's query on the documents it writes: display name,
// district, kind, verification state and exports_in_own_name are always
// stored, so they compare as values; business_id is left out when empty, so
// an equality with "" matches no producer and an inequality matches those
// without one; a repeated field (sub-message fields included) equals a value
// when one of its elements does.
func producerFilter(conds []query.Condition) (func(*catalog.ProducerFields) bool, error) {
	type test = func(*catalog.ProducerFields) bool
	tests := make([]test, 0, len(conds))
	for _, c := range conds {
		t, err := producerTest(c)
		if err != nil {
			return nil, err
		}
		tests = append(tests, t)
	}
	return allOf(tests), nil
}

func producerTest(c query.Condition) (func(*catalog.ProducerFields) bool, error) {
	if c.Field == "exports_in_own_name" {
		v, ok := c.Value.(bool)
		switch {
		case !ok:
			return nil, fmt.Errorf("filter on %s: value %v is not a bool", c.Field, c.Value)
		case c.Op == query.Eq:
			return func(f *catalog.ProducerFields) bool { return f.ExportsInOwnName == v }, nil
		case c.Op == query.Ne:
			return func(f *catalog.ProducerFields) bool { return f.ExportsInOwnName != v }, nil
		}
		return nil, fmt.Errorf("filter on %s: operator %s is not supported", c.Field, c.Op)
	}
	v, ok := c.Value.(string)
	if !ok {
		return nil, fmt.Errorf("filter on %s: value %v is not a string", c.Field, c.Value)
	}
	if c.Prefix {
		return nil, fmt.Errorf("filter on %s: prefix match is not supported", c.Field)
	}
	eq := c.Op == query.Eq || c.Op == query.Has
	switch c.Field {
	case "kind", "verification_state":
		// Stored by value name, UNSPECIFIED included; compare numbers.
		values := pb.Producer_Kind_value
		get := func(f *catalog.ProducerFields) int32 { return int32(f.Kind) }
		if c.Field == "verification_state" {
			values = pb.VerificationState_value
			get = func(f *catalog.ProducerFields) int32 { return int32(f.VerificationState) }
		}
		if t := enumTest(c.Op, v, values, get); t != nil {
			return t, nil
		}
	case "display_name", "district", "business_id":
		get := func(f *catalog.ProducerFields) string { return f.DisplayName }
		switch c.Field {
		case "district":
			get = func(f *catalog.ProducerFields) string { return f.District }
		case "business_id":
			get = func(f *catalog.ProducerFields) string { return f.BusinessID }
		}
		// Only business_id is left out of the document when empty.
		absent := func(f *catalog.ProducerFields) bool { return c.Field == "business_id" && f.BusinessID == "" }
		switch {
		case eq:
			return func(f *catalog.ProducerFields) bool { return !absent(f) && get(f) == v }, nil
		case c.Op == query.Ne:
			return func(f *catalog.ProducerFields) bool { return absent(f) || get(f) != v }, nil
		}
	case "language_codes", "export_history.country_code", "certifications.type":
		get := func(f *catalog.ProducerFields) []string { return f.LanguageCodes }
		switch c.Field {
		case "export_history.country_code":
			get = func(f *catalog.ProducerFields) []string { return f.ExportCountries }
		case "certifications.type":
			get = func(f *catalog.ProducerFields) []string { return f.CertificationTypes }
		}
		if eq {
			return func(f *catalog.ProducerFields) bool { return slices.Contains(get(f), v) }, nil
		}
	default:
		// The API checks fields against its schema; reaching this is a bug.
		return nil, fmt.Errorf("filter field %q has no in-memory mapping", c.Field)
	}
	return nil, fmt.Errorf("filter on %s: operator %s is not supported", c.Field, c.Op)
}
