package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
)

// claimNames are the claims the verifier reads. encoding/json (which the
// JWT library decodes with) matches object keys to struct fields without
// regard to case and lets the last of duplicate keys win, so a payload with
// "role":"buyer" and "ROLE":"trade_office" would read as the trade office.
// An identity provider that copies a user-controlled attribute into a token
// would turn that into an escalation, so checkClaimNames refuses such
// payloads before the library sees them.
var claimNames = []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "role", "resource", "methods"}

// numericClaims must be JSON numbers. encoding/json would also accept a
// string holding a number for jwt.NumericDate, which RFC 7519 does not.
var numericClaims = map[string]bool{"exp": true, "nbf": true, "iat": true}

// maxClaims bounds the keys of a payload; maxTokenLen bounds its size anyway,
// this keeps the duplicate check's map small.
const maxClaims = 256

// payloadFacts are what checkClaimNames learnt about a payload, for checks
// that need the raw values.
type payloadFacts struct {
	exp, iat       int64
	hasExp, hasIat bool
}

// checkClaimNames refuses a payload (the token's second segment, still
// base64url) whose top-level claim names repeat, also in another case or
// Unicode case folding, or spell one of the claims we read in another case;
// and whose exp, nbf or iat is not a JSON number. The returned message is a
// reason safe for the caller.
func checkClaimNames(segment string) (payloadFacts, error) {
	var facts payloadFacts
	raw, err := base64.RawURLEncoding.Strict().DecodeString(segment)
	if err != nil {
		return facts, errors.New("malformed token")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return facts, errors.New("malformed token")
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return facts, errors.New("malformed token")
		}
		name, _ := tok.(string)
		folded := foldName(name)
		if seen[folded] {
			// Quote only our own names: the rest is the caller's text.
			if slices.Contains(claimNames, folded) {
				return facts, fmt.Errorf("claim name %q repeated or in the wrong case", folded)
			}
			return facts, errors.New("claim name repeated or in the wrong case")
		}
		seen[folded] = true
		if len(seen) > maxClaims {
			return facts, errors.New("too many claims")
		}
		for _, c := range claimNames {
			if c != name && folded == c {
				return facts, fmt.Errorf("claim name %q repeated or in the wrong case", c)
			}
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return facts, errors.New("malformed token")
		}
		if !numericClaims[name] {
			continue
		}
		n, ok := jsonInt(value)
		if !ok {
			return facts, fmt.Errorf("claim %s is not a number", name)
		}
		switch name {
		case "exp":
			facts.exp, facts.hasExp = n, true
		case "iat":
			facts.iat, facts.hasIat = n, true
		}
	}
	if _, err := dec.Token(); err != nil {
		return facts, errors.New("malformed token")
	}
	if _, err := dec.Token(); err != io.EOF {
		return facts, errors.New("malformed token")
	}
	return facts, nil
}

// jsonInt reads a JSON number (not a string) as whole seconds; fractions are
// truncated as jwt.NumericDate does.
func jsonInt(v json.RawMessage) (int64, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return 0, false
	}
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || f > 1e15 || f < -1e15 {
		return 0, false
	}
	return int64(f), true
}

// foldName maps a name to one representative of its case-folding orbit, the
// way encoding/json compares names (it treats the Kelvin sign as "k" and the
// long s as "s", for instance), so that every spelling json would accept for
// "role" folds to "role".
func foldName(s string) string {
	var b strings.Builder
	for _, r := range s {
		lowest := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < lowest {
				lowest = f
			}
		}
		// The orbit's smallest rune of an ASCII letter is its upper case;
		// lower it so that our claim names compare as written.
		b.WriteRune(unicode.ToLower(lowest))
	}
	return b.String()
}

// checkLifetime refuses a token valid for longer than max: exp-iat when the
// token says when it was issued, otherwise exp-now.
func checkLifetime(f payloadFacts, max time.Duration, now time.Time) error {
	if max <= 0 || !f.hasExp {
		return nil
	}
	from := now.Unix()
	if f.hasIat {
		from = f.iat
	}
	if f.exp-from > int64(max/time.Second) {
		return fmt.Errorf("token lifetime above %v", max)
	}
	return nil
}
