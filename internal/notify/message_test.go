package notify

import (
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestRender(t *testing.T) {
	n := Notice{Recipient: "producers/p", Link: "/buyers/b/buyingRequests/r", Params: map[string]string{"title": "Koi <Kohaku>", "listing_title": "Kohaku", "score": "0.80", "country": "JP"}}
	id := Render(RequestFits, "id", n, "https://temubisnis.example/")
	if !strings.Contains(id.Subject, "Permintaan baru") || !strings.Contains(id.Text, "Koi <Kohaku>") {
		t.Errorf("Indonesian message: %+v", id)
	}
	if !strings.HasSuffix(strings.TrimSpace(id.Text), "https://temubisnis.example/buyers/b/buyingRequests/r") {
		t.Errorf("text ends without the link: %q", id.Text)
	}
	if strings.Contains(id.HTML, "<Kohaku>") || !strings.Contains(id.HTML, "Koi &lt;Kohaku&gt;") {
		t.Errorf("HTML does not escape params: %s", id.HTML)
	}
	if en := Render(RequestFits, "ja", n, ""); !strings.HasPrefix(en.Subject, "A new buying request") {
		t.Errorf("unknown language falls back to English: %q", en.Subject)
	}
	for _, typ := range Types {
		for _, l := range Languages {
			if _, ok := templates[typ][l]; !ok {
				t.Errorf("no %s template for %s", l, typ)
			}
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		recipient, setting string
		codes              []string
		want               string
	}{
		{"producers/p", "", nil, "id"},
		{"producers/p", "en", nil, "en"},
		{"buyers/b", "", []string{"ja", "en-US"}, "en"},
		{"buyers/b", "", []string{"ja"}, "en"},
		{"buyers/b", "", []string{"id"}, "id"},
		{"buyers/b", "xx", nil, "en"},
	}
	for _, tc := range tests {
		if got := Language(tc.recipient, tc.setting, tc.codes); got != tc.want {
			t.Errorf("Language(%q, %q, %v) = %q, want %q", tc.recipient, tc.setting, tc.codes, got, tc.want)
		}
	}
}

func TestCompose(t *testing.T) {
	from, _ := mail.ParseAddress("Temu Bisnis <noreply@blitar.example>")
	to, _ := mail.ParseAddress("koi@example.com")
	m := Render(RequestFits, "id", Notice{Link: "/dashboard", Params: map[string]string{"title": "Ikan koi – Kohaku"}}, "https://t.example")
	raw, err := Compose(from, to, m, time.Unix(1_800_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != m.Subject {
		t.Errorf("subject %q (%v), want %q", subj, err, m.Subject)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		types = append(types, strings.Split(p.Header.Get("Content-Type"), ";")[0])
		if !strings.Contains(string(body), "https://t.example/dashboard") || !strings.Contains(string(body), "Ikan koi – Kohaku") {
			t.Errorf("%s part lacks the link or the title: %q", p.Header.Get("Content-Type"), body)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v, want text/plain then text/html", types)
	}
}
