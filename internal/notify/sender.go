package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// Sender sends a rendered message to a person over one channel. Email is
// the one implementation here. A WhatsApp Business sender would implement
// the same interface: Channel returns "whatsapp", Address picks the
// recipient's contact.whatsapp (E.164), and Send posts an approved template
// message to the Cloud API (POST /{phone-number-id}/messages with the
// template name for the event type and the message's URL as a button
// parameter); the delivery loop, retries and preferences stay as they are.
type Sender interface {
	// Channel names the channel, as preferences and the delivery log do.
	Channel() string
	// Send delivers m to address; an error is retried later.
	Send(ctx context.Context, address string, m Message) error
}

// SMTP TLS modes.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no TLS: a relay on localhost, or tests
)

// SMTPConfig configures the e-mail sender.
type SMTPConfig struct {
	// Addr is host:port of the submission server.
	Addr string
	// From is the sender address, e.g. "Temu Bisnis <noreply@blitarkab.go.id>".
	From     string
	Username string
	Password string
	// TLS is TLSStartTLS (default), TLSImplicit or TLSNone.
	TLS     string
	Timeout time.Duration
	// RootCAs verify the server's certificate; nil uses the system's.
	RootCAs *x509.CertPool
}

// SMTPSender sends e-mail through an SMTP submission server.
type SMTPSender struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTPSender checks cfg and returns the sender.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("smtp address %q: %w", cfg.Addr, err)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp from %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("smtp tls %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg, from: from}, nil
}

// Channel implements Sender.
func (s *SMTPSender) Channel() string { return "email" }

// Send implements Sender.
func (s *SMTPSender) Send(ctx context.Context, address string, m Message) error {
	to, err := mail.ParseAddress(address)
	if err != nil {
		return fmt.Errorf("recipient %q: %w", address, err)
	}
	msg, err := Compose(s.from, to, m, time.Now())
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.cfg.Addr)
	deadline := time.Now().Add(s.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dialer := &net.Dialer{Deadline: deadline}
	var conn net.Conn
	if s.cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: s.cfg.RootCAs}}).DialContext(ctx, "tcp", s.cfg.Addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.cfg.Addr)
	}
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close() // the handshake already failed
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer func() { _ = c.Close() }() // after QUIT, or after an error reported already
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp server offers no STARTTLS; set the TLS mode to none only for a local relay")
		}
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: s.cfg.RootCAs}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return c.Quit()
}

// Compose writes m as a MIME message: multipart/alternative with a
// plain-text part first and an HTML part, both quoted-printable UTF-8.
func Compose(from, to *mail.Address, m Message, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	h := []string{
		"From: " + from.String(),
		"To: " + to.String(),
		"Subject: " + mime.QEncoding.Encode("utf-8", m.Subject),
		"Date: " + now.Format(time.RFC1123Z),
		"Message-ID: <" + hex.EncodeToString(id) + "@" + domain + ">",
		"MIME-Version: 1.0",
		"Content-Type: multipart/alternative; boundary=" + mw.Boundary(),
	}
	head := strings.Join(h, "\r\n") + "\r\n\r\n"
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(pw)
		if _, err := qw.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return append([]byte(head), buf.Bytes()...), nil
}
