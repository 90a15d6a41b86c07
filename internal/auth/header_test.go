package auth

import "testing"

func TestTokenFromAuthorization(t *testing.T) {
	const jwtLike = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2ln"
	tests := []struct {
		name   string
		header string
		want   string
		ok     bool
	}{
		{"bearer", "Bearer " + jwtLike, jwtLike, true},
		{"lower case scheme", "bearer " + jwtLike, jwtLike, true},
		{"upper case scheme", "BEARER " + jwtLike, jwtLike, true},
		{"mixed case scheme", "bEaReR abc", "abc", true},
		{"b64token characters", "Bearer a-b.c_d~e+f/g==", "a-b.c_d~e+f/g==", true},
		{"empty", "", "", false},
		{"scheme only", "Bearer", "", false},
		{"scheme and space", "Bearer ", "", false},
		{"two spaces", "Bearer  " + jwtLike, "", false},
		{"tab", "Bearer\t" + jwtLike, "", false},
		{"no space", "Bearer" + jwtLike, "", false},
		{"leading space", " Bearer " + jwtLike, "", false},
		{"trailing space", "Bearer " + jwtLike + " ", "", false},
		{"two tokens", "Bearer abc def", "", false},
		{"padding only", "Bearer ==", "", false},
		{"padding inside", "Bearer ab=cd", "", false},
		{"control character", "Bearer abc\x00", "", false},
		{"non-ASCII", "Bearer ab\u00e9", "", false},
		{"basic", "Basic dXNlcjpwYXNzd29yZA==", "", false},
		{"other scheme", "Token " + jwtLike, "", false},
		{"token without scheme", jwtLike, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := TokenFromAuthorization(tt.header)
			if got != tt.want || ok != tt.ok {
				t.Errorf("TokenFromAuthorization(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}
