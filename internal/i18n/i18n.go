// Package i18n holds the two languages texts for people are written in:
// English for everyone, Indonesian for the producers of Blitar, who read
// the same explanations and next steps on their dashboard. Each text is
// one function of the language, so both say the same thing from the same
// figures.
package i18n

import "fmt"

// Lang is the language of a text.
type Lang int

// The languages.
const (
	English Lang = iota
	Indonesian
)

// Say picks the sentence pattern of the language.
func (l Lang) Say(en, id string) string {
	if l == Indonesian {
		return id
	}
	return en
}

// Sayf formats the language's pattern.
func (l Lang) Sayf(en, id string, args ...any) string { return fmt.Sprintf(l.Say(en, id), args...) }
