package notify

import (
	"html"
	"sort"
	"strings"
)

// Message is a notice rendered for a person, in their language.
type Message struct {
	Subject string
	// Text is the plain-text body; every channel can send it.
	Text string
	// HTML is the same for mail readers that prefer it.
	HTML string
	// URL is the absolute link to the page to act on.
	URL string
}

// Languages the messages are written in. Producers read Indonesian unless
// they chose otherwise; buyers read the first of their languages that is
// here, else English.
var Languages = []string{"id", "en"}

// template is a subject and a body with {param} placeholders.
type template struct{ subject, body string }

var templates = map[Type]map[string]template{
	RequestFits: {
		"id": {"Permintaan baru cocok untuk produk Anda: {title}", "Ada permintaan pembeli baru yang cocok dengan produk Anda \"{listing_title}\" (skor {score}), tujuan {country}:\n\n{title}\n\nLihat dan ajukan penawaran:"},
		"en": {"A new buying request fits your listing: {title}", "A new buying request fits your listing \"{listing_title}\" (score {score}), destination {country}:\n\n{title}\n\nSee it and propose:"},
	},
	ProposalReceived: {
		"id": {"Usulan kerja sama baru dari {from}", "{from} mengusulkan kerja sama. Mohon jawab sebelum usulan kedaluwarsa:"},
		"en": {"New match proposal from {from}", "{from} proposed a match. Please answer before the proposal expires:"},
	},
	ProposalAnswered: {
		"id": {"{party} menjawab usulan: {answer}", "{party} menjawab usulan kerja sama Anda: {answer}."},
		"en": {"{party} answered your proposal: {answer}", "{party} answered the match proposal: {answer}."},
	},
	MatchConnected: {
		"id": {"Terhubung! Kontak mitra Anda", "Semua pihak menerima. Hubungi mitra Anda:\n\n{contact}\n\nRincian:"},
		"en": {"Connected! Your counterpart's contact", "Every party accepted. Get in touch:\n\n{contact}\n\nDetails:"},
	},
	DealRecorded: {
		"id": {"Transaksi tercatat: {quantity} {unit}", "Sebuah transaksi sebesar {quantity} {unit} telah dicatat."},
		"en": {"Deal recorded: {quantity} {unit}", "A deal of {quantity} {unit} was recorded."},
	},
	ProposalExpiring: {
		"id": {"Usulan menunggu jawaban Anda", "Sebuah usulan kerja sama kedaluwarsa pada {expire_time} dan belum Anda jawab:"},
		"en": {"A proposal is waiting for your answer", "A match proposal expires at {expire_time} and has no answer from you yet:"},
	},
	VerificationDecided: {
		"id": {"Keputusan verifikasi: {state}", "Dinas telah memutuskan verifikasi usaha Anda: {state}. {note}"},
		"en": {"Verification decision: {state}", "The trade office decided on your verification: {state}. {note}"},
	},
	CertificateExpiring: {
		"id": {"Sertifikat {type} habis dalam {days} hari", "Sertifikat {type} Anda berlaku sampai {expiry_date} ({days} hari lagi). Segera perpanjang:"},
		"en": {"Certificate {type} expires in {days} days", "Your {type} certificate is valid until {expiry_date} ({days} days left). Renew it soon:"},
	},
}

// Render writes n as a message in lang (English when lang has no
// template), with the link made absolute on baseURL.
func Render(t Type, lang string, n Notice, baseURL string) Message {
	byLang := templates[t]
	tpl, ok := byLang[lang]
	if !ok {
		tpl = byLang["en"]
	}
	// Sorted keys: the replacer then behaves the same on every run.
	keys := make([]string, 0, len(n.Params))
	for k := range n.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs, htmlPairs []string
	for _, k := range keys {
		pairs = append(pairs, "{"+k+"}", n.Params[k])
		htmlPairs = append(htmlPairs, "{"+k+"}", html.EscapeString(n.Params[k]))
	}
	r, hr := strings.NewReplacer(pairs...), strings.NewReplacer(htmlPairs...)
	link := strings.TrimRight(baseURL, "/") + n.Link
	subject := strings.TrimSpace(r.Replace(tpl.subject))
	text := strings.TrimSpace(r.Replace(tpl.body)) + "\n\n" + link + "\n"
	body := strings.ReplaceAll(hr.Replace(html.EscapeString(tpl.body)), "\n", "<br>\n")
	// html.EscapeString above escaped the template, not the braces, so
	// the placeholders survive it and are replaced with escaped values.
	htm := "<!doctype html><html><body><p>" + body + "</p><p><a href=\"" + html.EscapeString(link) + "\">" + html.EscapeString(link) + "</a></p></body></html>\n"
	return Message{Subject: subject, Text: text, HTML: htm, URL: link}
}

// Language picks the language a recipient reads: its setting if given and
// supported, else Indonesian for producers and the trade office, else the
// first supported language of the buyer's, else English.
func Language(recipient, setting string, languageCodes []string) string {
	if supported(setting) {
		return setting
	}
	if !strings.HasPrefix(recipient, "buyers/") {
		return "id"
	}
	for _, l := range languageCodes {
		l = strings.ToLower(l)
		if i := strings.IndexAny(l, "-_"); i > 0 {
			l = l[:i]
		}
		if supported(l) {
			return l
		}
	}
	return "en"
}

func supported(l string) bool {
	for _, s := range Languages {
		if s == l {
			return true
		}
	}
	return false
}
