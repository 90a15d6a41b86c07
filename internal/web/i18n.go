package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The languages of the web app. English is the source language: a message's
// key is its English text, so a key missing from a catalogue still reads
// well. Buyers read English, Chinese (both scripts) or Japanese; producers
// and the trade office Indonesian first.
var (
	langEnglish = language.English
	langID      = language.Indonesian
	langZhHans  = language.SimplifiedChinese
	langZhHant  = language.TraditionalChinese
	langJA      = language.Japanese
	languages   = []language.Tag{langEnglish, langID, langZhHans, langZhHant, langJA}
	matcher     = language.NewMatcher(languages)
)

//go:embed locales/*.json
var localeFiles embed.FS

// messages is the catalogue of every translated text, built once from the
// locale files (one JSON object of English key -> translation per language).
var messages = mustCatalog()

func mustCatalog() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(langEnglish))
	entries, err := localeFiles.ReadDir("locales")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		tag := language.MustParse(strings.TrimSuffix(e.Name(), ".json"))
		data, err := localeFiles.ReadFile(path.Join("locales", e.Name()))
		if err != nil {
			panic(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			panic(fmt.Sprintf("locale %s: %v", e.Name(), err))
		}
		for key, msg := range m {
			if err := b.SetString(tag, key, msg); err != nil {
				panic(fmt.Sprintf("locale %s, %q: %v", e.Name(), key, err))
			}
		}
	}
	return b
}

// localeKeys lists the keys of one locale file (for the completeness test).
func localeKeys(tag language.Tag) (map[string]string, error) {
	data, err := localeFiles.ReadFile("locales/" + tag.String() + ".json")
	if err != nil {
		return nil, err
	}
	var m map[string]string
	return m, json.Unmarshal(data, &m)
}

// printer renders messages in one language.
func printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(tag, message.Catalog(messages))
}

// langCookie remembers a language the visitor chose.
const langCookie = "tb_lang"

// pickLanguage chooses the page language: an explicit ?lang=, then the
// visitor's earlier choice, then the role's first language (Indonesian for
// producers), then the browser's Accept-Language.
func pickLanguage(r *http.Request, roleDefault language.Tag) (tag language.Tag, explicit bool) {
	if l := r.URL.Query().Get("lang"); l != "" {
		if t, ok := supported(l); ok {
			return t, true
		}
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if t, ok := supported(c.Value); ok {
			return t, false
		}
	}
	if roleDefault != language.Und {
		return roleDefault, false
	}
	prefs, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, _ := matcher.Match(prefs...)
	return languages[i], false
}

// supported maps a language tag to one of ours, exactly (a switcher link
// names one of ours; anything else is ignored).
func supported(s string) (language.Tag, bool) {
	t, err := language.Parse(s)
	if err != nil {
		return language.Und, false
	}
	for _, l := range languages {
		if l == t {
			return l, true
		}
	}
	return language.Und, false
}

// langOption is one entry of the language switcher: the language's own name.
type langOption struct {
	Tag     string
	Name    string
	Current bool
}

func langOptions(current language.Tag) []langOption {
	out := make([]langOption, 0, len(languages))
	for _, l := range languages {
		out = append(out, langOption{Tag: l.String(), Name: display.Self.Name(l), Current: l == current})
	}
	return out
}
