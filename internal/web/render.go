package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"math/big"
	"net/http"
	"strings"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/certday"
	moneyx "github.com/adiekspor/temubisnis/internal/money"
)

// view is what every template receives: the page's data and the means to
// translate and link.
type view struct {
	p     *pageCtx
	Title string
	Data  any
}

// T translates into the page's language.
func (v view) T(key string, args ...any) string { return v.p.T(key, args...) }

// Lang is the page's language tag (for <html lang>).
func (v view) Lang() string { return v.p.lang.String() }

// Langs is the language switcher.
func (v view) Langs() []langOption {
	out := langOptions(v.p.lang)
	for i := range out {
		out[i].Tag = v.p.langLink(out[i].Tag)
	}
	return out
}

// CSRF is the token this page's forms carry.
func (v view) CSRF() string { return v.p.csrf }

// User is the signed-in person's name, empty when nobody is.
func (v view) User() string {
	if v.p.sess == nil {
		return ""
	}
	return v.p.sess.name
}

// Role is the signed-in person's role name ("buyer", "producer",
// "trade_office"; "anonymous").
func (v view) Role() string { return v.p.role().String() }

// Firm is the producer or buyer the signed-in person acts for.
func (v view) Firm() string {
	if v.p.sess == nil {
		return ""
	}
	return v.p.sess.principal.Resource
}

// Path is the page's path (to mark the current navigation entry).
func (v view) Path() string { return v.p.r.URL.Path }

// Money shows an amount in its currency, in the page's language.
func (v view) Money(m *money.Money) string { return formatMoney(v.p.lang, m) }

// Date shows a calendar date.
func (v view) Date(d *date.Date) string {
	if d == nil || d.GetYear() == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
}

// Time shows a timestamp as a date and time in Blitar (WIB, UTC+7), where
// the trade office and the producers are.
func (v view) Time(t *timestamppb.Timestamp) string {
	if t == nil {
		return ""
	}
	return t.AsTime().In(certday.WIB).Format("2006-01-02 15:04") + " WIB"
}

// Country names a country in the page's language.
func (v view) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	name := display.Regions(v.p.lang).Name(r)
	if name == "" {
		return code
	}
	return name
}

// Enum shows an enum value (a category, a state) in the page's language:
// the catalogue has an entry per value name.
func (v view) Enum(value fmt.Stringer) string { return v.p.T(enumKey(value.String())) }

// enumKey turns an enum value name into its message key:
// ORNAMENTAL_FISH -> "Ornamental fish".
func enumKey(name string) string {
	s := strings.ToLower(strings.ReplaceAll(name, "_", " "))
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Explain is a criterion's explanation in the page's language: the API
// writes it in English and Indonesian.
func (v view) Explain(c *pb.CriterionScore) string {
	if v.p.lang == langID && c.GetExplanationId() != "" {
		return c.GetExplanationId()
	}
	return c.GetExplanation()
}

// Criterion names a matching criterion in the page's language.
func (v view) Criterion(id string) string {
	if label, ok := criterionLabels[id]; ok {
		return v.p.T(label)
	}
	return id
}

// criterionLabels are the message keys of the matching criteria the API
// names by id.
var criterionLabels = map[string]string{
	"product":                "Product",
	"destination_experience": "Experience with the destination",
	"quantity":               "Quantity in time",
	"price":                  "Price",
	"lead_time":              "Lead time",
	"export_readiness":       "Export readiness",
	"trust":                  "Trust",
	"responsiveness":         "Responsiveness",
}

// Num shows a count with the page language's digit grouping (10,000;
// 10.000 in Indonesian).
func (v view) Num(n int64) string { return v.p.print.Sprintf("%d", n) }

// Stat names a statistics chart or dimension in the page's language.
func (v view) Stat(id string) string {
	if label, ok := statLabels[id]; ok {
		return v.p.T(label)
	}
	return id
}

// Percent shows a 0..1 score as a percentage.
func (v view) Percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

// ID is the last segment of a resource name.
func (v view) ID(name string) string { return lastSegment(name) }

// WhatsApp is a click-to-chat link for an E.164 number.
func (v view) WhatsApp(phone string) string {
	digits := strings.TrimPrefix(phone, "+")
	if digits == "" {
		return ""
	}
	return "https://wa.me/" + digits
}

// formatMoney renders google.type.Money exactly (no float): the currency's
// symbol as the page's language writes it, the units with digit grouping
// (the same in our five languages) and the currency's minor digits.
func formatMoney(lang language.Tag, m *money.Money) string {
	if m == nil || m.GetCurrencyCode() == "" {
		return ""
	}
	scale := 2
	symbol := m.GetCurrencyCode() + " "
	if sc, err := moneyx.Scale(m.GetCurrencyCode()); err == nil {
		unit := currency.MustParseISO(m.GetCurrencyCode())
		scale = sc
		symbol = message.NewPrinter(lang).Sprint(currency.Symbol(unit))
		if symbol == "" || symbol == unit.String() {
			symbol = unit.String() + " "
		}
	}
	// units + nanos/1e9 in big integers (billions of rupiah times 1e9 do not
	// fit in int64), rounded half away from zero to the currency's scale.
	nanos := new(big.Int).Mul(big.NewInt(m.GetUnits()), big.NewInt(1_000_000_000))
	nanos.Add(nanos, big.NewInt(int64(m.GetNanos())))
	r := new(big.Rat).SetFrac(nanos, big.NewInt(1_000_000_000))
	s := r.FloatString(scale)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return symbol + out
}

// parsePages parses each page template with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}

var funcs = template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	"roleIs": func(v view, role string) bool {
		return v.Role() == role
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// render writes a page. Templates render into a buffer first, so a template
// error is an error page, not half a page.
func (p *pageCtx) render(code int, page, title string, data any) {
	t, ok := p.w.pages[page]
	if !ok {
		p.w.log.Error("web: no such template", "page", page)
		http.Error(p.rw, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view{p: p, Title: title, Data: data}); err != nil {
		p.w.log.Error("web: render", "page", page, "error", err)
		http.Error(p.rw, "internal error", http.StatusInternalServerError)
		return
	}
	h := p.rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", p.lang.String())
	h.Set("Vary", "Cookie, Accept-Language")
	p.rw.WriteHeader(code)
	_, _ = p.rw.Write(buf.Bytes())
}

// ok renders a 200 page.
func (p *pageCtx) ok(page, title string, data any) error {
	code := http.StatusOK
	if p.status != 0 {
		code = p.status
	}
	p.render(code, page, title, data)
	return nil
}

var _ = auth.RoleAnonymous
