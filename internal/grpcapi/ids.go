package grpcapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/adiekspor/temubisnis/internal/validate"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newID returns an id for a resource created without a client-chosen one: a
// readable slug of its title ("ud-kendang-jaya") plus a short suffix. With a
// request id the suffix is derived from it (and the parent), so that a retried
// create computes the same name and is recognised as the same request.
func newID(title, parent, requestID string) string {
	var suffix string
	if requestID != "" {
		h := sha256.Sum256([]byte(parent + "\x00" + requestID))
		suffix = idEncoding.EncodeToString(h[:5])
	} else {
		b := make([]byte, 5)
		_, _ = rand.Read(b)
		suffix = idEncoding.EncodeToString(b)
	}
	s := slug(title, 40)
	if s == "" {
		s = "r"
	}
	id := s + "-" + suffix
	if !validate.ResourceID(id) {
		return "r-" + suffix
	}
	return id
}

// slug lower-cases s, drops accents and turns runs of other characters into
// single hyphens, keeping at most n bytes.
func slug(s string, n int) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		plain = s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(plain) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= n {
				break
			}
			continue
		}
		dash = true
	}
	out := strings.Trim(b.String(), "-")
	for out != "" && (out[0] >= '0' && out[0] <= '9') {
		out = strings.TrimLeft(out[1:], "-")
	}
	return out
}
