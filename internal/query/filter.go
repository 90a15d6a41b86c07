// Package query parses the AIP-160 filters and page tokens of List methods into
// store-neutral conditions.
//
// The filter language is a deliberate subset of AIP-160: a conjunction of
// comparisons, `field op value [AND field op value ...]`, where op is one of
// = != < <= > >= and : (has, for repeated fields). A string value ending in
// `*` matches by prefix (`hs_code = "0301*"`). OR, NOT and parentheses are
// refused with a clear message rather than half-supported: every list filter
// users asked for so far is a conjunction, and a conjunction maps to an index
// scan on MongoDB.
package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Op is a comparison operator.
type Op string

// Operators of the filter language.
const (
	Eq  Op = "="
	Ne  Op = "!="
	Lt  Op = "<"
	Le  Op = "<="
	Gt  Op = ">"
	Ge  Op = ">="
	Has Op = ":"
)

// Kind is the type of a filterable field.
type Kind int

// Field kinds.
const (
	String Kind = iota
	Enum
	Bool
	Int
	// Country is an ISO 3166-1 alpha-2 code; values are upper-cased.
	Country
)

// Field describes one filterable field.
type Field struct {
	Kind Kind
	// Enum is the enum of an Enum field; values are its value names.
	Enum protoreflect.EnumDescriptor
	// Repeated fields accept `:` (has) and `=` (any element equals).
	Repeated bool
	// Prefix allows a trailing `*` on string values.
	Prefix bool
	// Check validates a value of a String or Country field, if set.
	Check func(string) bool
}

// Schema maps the field paths users may filter on (proto snake_case) to their
// description.
type Schema map[string]Field

// Condition is one parsed comparison.
type Condition struct {
	Field string
	Op    Op
	// Value is a string (String, Enum and Country fields), a bool or an int64.
	Value any
	// Prefix is set when a string value ended in `*`; Value holds the prefix.
	Prefix bool
}

// Error is a filter that cannot be parsed or names an unknown field. Its
// message is meant for the caller.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// MaxFilterLength bounds the work one filter may ask for.
const MaxFilterLength = 1000

// Parse parses filter against schema. An empty filter gives no conditions.
func Parse(filter string, schema Schema) ([]Condition, error) {
	if len(filter) > MaxFilterLength {
		return nil, errorf("filter is longer than %d characters", MaxFilterLength)
	}
	// Values end up in stored strings and error messages; found by
	// FuzzParse.
	if !utf8.ValidString(filter) {
		return nil, errorf("filter is not valid UTF-8")
	}
	toks, err := tokenize(filter)
	if err != nil {
		return nil, err
	}
	var conds []Condition
	for i := 0; i < len(toks); {
		if len(conds) > 0 {
			if toks[i].kind != tWord || toks[i].text != "AND" {
				return nil, errorf("expected AND after a comparison, found %q (only AND-joined comparisons are supported)", toks[i].text)
			}
			i++
		}
		if i+3 > len(toks) {
			return nil, errorf("incomplete comparison at the end of the filter; expected `field op value`")
		}
		c, err := comparison(toks[i], toks[i+1], toks[i+2], schema)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
		i += 3
	}
	if len(conds) > 20 {
		return nil, errorf("filter has %d comparisons; at most 20 are allowed", len(conds))
	}
	return conds, nil
}

func comparison(ft, ot, vt token, schema Schema) (Condition, error) {
	if ft.kind != tWord {
		return Condition{}, errorf("expected a field name, found %q", ft.text)
	}
	switch ft.text {
	case "OR", "NOT", "AND":
		return Condition{}, errorf("%s is not supported in filters; join comparisons with AND", ft.text)
	}
	f, ok := schema[ft.text]
	if !ok {
		return Condition{}, errorf("unknown filter field %q; filterable fields: %s", ft.text, schema.names())
	}
	if ot.kind != tOp {
		return Condition{}, errorf("expected an operator after %q, found %q", ft.text, ot.text)
	}
	op := Op(ot.text)
	if vt.kind != tWord && vt.kind != tString {
		return Condition{}, errorf("expected a value after %s %s, found %q", ft.text, op, vt.text)
	}
	c := Condition{Field: ft.text, Op: op}
	switch {
	case op == Has && !f.Repeated:
		return c, errorf("%s is not a repeated field; use = instead of :", ft.text)
	case f.Repeated && op != Has && op != Eq:
		return c, errorf("%s is a repeated field; only : and = are supported", ft.text)
	}
	raw := vt.text
	switch f.Kind {
	case String, Country:
		if op != Eq && op != Ne && op != Has {
			return c, errorf("%s supports only =, != and :", ft.text)
		}
		if f.Kind == Country {
			raw = strings.ToUpper(raw)
		}
		if strings.HasSuffix(raw, "*") {
			if !f.Prefix || op != Eq {
				return c, errorf("prefix match (trailing *) is supported only with = on %s", f.prefixFields(schema))
			}
			raw = strings.TrimSuffix(raw, "*")
			c.Prefix = true
		}
		if strings.Contains(raw, "*") {
			return c, errorf("%s: * is allowed only at the end of a value", ft.text)
		}
		if f.Check != nil && !c.Prefix && !f.Check(raw) {
			return c, errorf("%q is not a valid value for %s", raw, ft.text)
		}
		if f.Check != nil && c.Prefix && raw != "" && !allDigits(raw) {
			return c, errorf("%q is not a valid prefix for %s", raw, ft.text)
		}
		c.Value = raw
	case Enum:
		if op != Eq && op != Ne && op != Has {
			return c, errorf("%s supports only = and !=", ft.text)
		}
		ev := f.Enum.Values().ByName(protoreflect.Name(strings.ToUpper(raw)))
		if ev == nil || ev.Number() == 0 {
			return c, errorf("%q is not a value of %s; expected one of %s", raw, ft.text, enumNames(f.Enum))
		}
		c.Value = string(ev.Name())
	case Bool:
		if op != Eq && op != Ne {
			return c, errorf("%s supports only = and !=", ft.text)
		}
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return c, errorf("%q is not true or false (%s)", raw, ft.text)
		}
		c.Value = b
	case Int:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return c, errorf("%q is not an integer (%s)", raw, ft.text)
		}
		c.Value = n
	}
	return c, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (s Schema) names() string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

func (f Field) prefixFields(s Schema) string {
	var names []string
	for n, g := range s {
		if g.Prefix {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "no field of this collection"
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

func enumNames(e protoreflect.EnumDescriptor) string {
	var names []string
	for i := 0; i < e.Values().Len(); i++ {
		if v := e.Values().Get(i); v.Number() != 0 {
			names = append(names, string(v.Name()))
		}
	}
	return strings.Join(names, ", ")
}

type tokenKind int

const (
	tWord tokenKind = iota
	tString
	tOp
)

type token struct {
	kind tokenKind
	text string
}

func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, errorf("unterminated string starting at position %d", i+1)
			}
			toks = append(toks, token{tString, b.String()})
			i = j + 1
		case c == '=' || c == ':':
			toks = append(toks, token{tOp, string(c)})
			i++
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(s) && s[i+1] == '=' {
				toks = append(toks, token{tOp, s[i : i+2]})
				i += 2
				continue
			}
			if c == '!' {
				return nil, errorf("unexpected ! at position %d; did you mean != ?", i+1)
			}
			toks = append(toks, token{tOp, string(c)})
			i++
		case c == '(' || c == ')':
			return nil, errorf("parentheses are not supported in filters; join comparisons with AND")
		default:
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			if j == i {
				return nil, errorf("unexpected character %q at position %d", rune(c), i+1)
			}
			toks = append(toks, token{tWord, s[i:j]})
			i = j
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c == '*' || c == '+' || c >= 0x80 ||
		unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}
