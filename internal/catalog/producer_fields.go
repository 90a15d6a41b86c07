package catalog

import (
	"google.golang.org/protobuf/encoding/protowire"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// ProducerFields are the fields of a producer that List filters test, read
// from the stored wire form without decoding the rest. The strings share
// the stored bytes, which are never changed in place.
type ProducerFields struct {
	DisplayName       string
	District          string
	BusinessID        string
	Kind              pb.Producer_Kind
	VerificationState pb.VerificationState
	ExportsInOwnName  bool
	LanguageCodes     []string
	// ExportCountries holds export_history[].country_code and
	// CertificationTypes certifications[].type, one per element, empty
	// values included: a filter on a repeated sub-message field matches
	// when any element's value does.
	ExportCountries    []string
	CertificationTypes []string
}

// Field numbers of the filter fields of Producer and of its sub-messages.
var (
	fnPDisplayName  = messageField(&pb.Producer{}, "display_name")
	fnPDistrict     = messageField(&pb.Producer{}, "district")
	fnPBusinessID   = messageField(&pb.Producer{}, "business_id")
	fnPKind         = messageField(&pb.Producer{}, "kind")
	fnPVerification = messageField(&pb.Producer{}, "verification_state")
	fnPOwnName      = messageField(&pb.Producer{}, "exports_in_own_name")
	fnPLanguages    = messageField(&pb.Producer{}, "language_codes")
	fnPExports      = messageField(&pb.Producer{}, "export_history")
	fnPCerts        = messageField(&pb.Producer{}, "certifications")
	fnExportCountry = messageField(&pb.ExportRecord{}, "country_code")
	fnCertType      = messageField(&pb.Certification{}, "type")
)

// read fills f from a producer's wire form, reusing f's slices.
func (f *ProducerFields) read(b []byte) error {
	*f = ProducerFields{
		LanguageCodes:      f.LanguageCodes[:0],
		ExportCountries:    f.ExportCountries[:0],
		CertificationTypes: f.CertificationTypes[:0],
	}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == fnPKind || num == fnPVerification || num == fnPOwnName):
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			switch num {
			case fnPKind:
				f.Kind = pb.Producer_Kind(int32(v))
			case fnPVerification:
				f.VerificationState = pb.VerificationState(int32(v))
			default:
				f.ExportsInOwnName = v != 0
			}
			n = m
		case typ == protowire.BytesType && (num == fnPDisplayName || num == fnPDistrict || num == fnPBusinessID ||
			num == fnPLanguages || num == fnPExports || num == fnPCerts):
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			switch num {
			case fnPDisplayName:
				f.DisplayName = bytesString(v)
			case fnPDistrict:
				f.District = bytesString(v)
			case fnPBusinessID:
				f.BusinessID = bytesString(v)
			case fnPLanguages:
				f.LanguageCodes = append(f.LanguageCodes, bytesString(v))
			case fnPExports:
				s, err := stringField(v, fnExportCountry)
				if err != nil {
					return err
				}
				f.ExportCountries = append(f.ExportCountries, s)
			default:
				s, err := stringField(v, fnCertType)
				if err != nil {
					return err
				}
				f.CertificationTypes = append(f.CertificationTypes, s)
			}
			n = m
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return protowire.ParseError(n)
			}
		}
		b = b[n:]
	}
	return nil
}

// stringField returns the (last) value of the string field num of the
// message b; empty when absent.
func stringField(b []byte, num protowire.Number) (string, error) {
	var out string
	for len(b) > 0 {
		n, typ, k := protowire.ConsumeTag(b)
		if k < 0 {
			return "", protowire.ParseError(k)
		}
		b = b[k:]
		if n == num && typ == protowire.BytesType {
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return "", protowire.ParseError(m)
			}
			out = bytesString(v)
			b = b[m:]
			continue
		}
		m := protowire.ConsumeFieldValue(n, typ, b)
		if m < 0 {
			return "", protowire.ParseError(m)
		}
		b = b[m:]
	}
	return out, nil
}
