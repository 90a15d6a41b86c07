package auth

import "strings"

// TokenFromAuthorization extracts the token of an "Authorization: Bearer
// <token>" header value (gRPC "authorization" metadata has the same form).
// The scheme is case-insensitive (RFC 7235); exactly one space follows it and
// the token must be non-empty and made of the b64token characters of RFC
// 6750. Anything else, including other schemes such as Basic, reports false:
// a header we do not understand must not be mistaken for no header by the
// caller, which should answer UNAUTHENTICATED rather than fall back to
// anonymous access.
func TokenFromAuthorization(header string) (string, bool) {
	const scheme = "bearer "
	if len(header) <= len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return "", false
	}
	token := header[len(scheme):]
	if !isB64Token(token) {
		return "", false
	}
	return token, true
}

// isB64Token reports whether s matches RFC 6750's
// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}
