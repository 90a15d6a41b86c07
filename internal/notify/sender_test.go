package notify

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/testcert"
)

// tlsSMTP is a test SMTP server: with starttls it offers STARTTLS and
// accepts AUTH PLAIN only after it; with implicit the listener is TLS.
type tlsSMTP struct {
	ln       net.Listener
	cfg      *tls.Config
	starttls bool
	mu       sync.Mutex
	auth     string // the decoded AUTH PLAIN credentials
	tlsUsed  bool
	data     string
}

func newTLSSMTP(t *testing.T, starttls, implicit bool) (*tlsSMTP, *x509.CertPool) {
	t.Helper()
	certFile, keyFile, cert := testcert.Write(t, t.TempDir(), "localhost")
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	s := &tlsSMTP{cfg: &tls.Config{Certificates: []tls.Certificate{pair}}, starttls: starttls}
	if implicit {
		s.ln, err = tls.Listen("tcp", "127.0.0.1:0", s.cfg)
	} else {
		s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.ln.Close() })
	go func() {
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c, implicit)
		}
	}()
	return s, pool
}

func (s *tlsSMTP) addr() string {
	_, port, _ := net.SplitHostPort(s.ln.Addr().String())
	return "localhost:" + port
}

func (s *tlsSMTP) serve(c net.Conn, secure bool) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(l string) { _, _ = io.WriteString(c, l+"\r\n") }
	say("220 localhost ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimSpace(line)
		switch up := strings.ToUpper(cmd); {
		case strings.HasPrefix(up, "EHLO"):
			say("250-localhost")
			if s.starttls && !secure {
				say("250-STARTTLS")
			}
			if secure {
				say("250-AUTH PLAIN")
			}
			say("250 8BITMIME")
		case up == "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(c, s.cfg)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, r, secure = tc, bufio.NewReader(tc), true
		case strings.HasPrefix(up, "AUTH PLAIN"):
			if !secure {
				say("538 encryption required")
				continue
			}
			raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(cmd[len("AUTH PLAIN"):]))
			s.mu.Lock()
			s.auth = strings.ReplaceAll(string(raw), "\x00", "|")
			s.mu.Unlock()
			say("235 ok")
		case up == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.data, s.tlsUsed = b.String(), secure
			s.mu.Unlock()
			say("250 queued")
		case up == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func TestSMTPSender(t *testing.T) {
	msg := Message{Subject: "Sertifikat CKIB habis dalam 7 hari", Text: "Segera perpanjang.\n\nhttps://t.example/dashboard\n", HTML: "<p>x</p>"}
	for _, tc := range []struct {
		name               string
		starttls, implicit bool
		mode               string
	}{
		{"starttls", true, false, TLSStartTLS},
		{"implicit tls", false, true, TLSImplicit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, pool := newTLSSMTP(t, tc.starttls, tc.implicit)
			s, err := NewSMTPSender(SMTPConfig{Addr: srv.addr(), From: "Temu Bisnis <noreply@blitar.example>", Username: "relay", Password: "pw", TLS: tc.mode, RootCAs: pool, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), "fajar@minakanigoro.example", msg); err != nil {
				t.Fatal(err)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if !srv.tlsUsed || srv.auth != "|relay|pw" || !strings.Contains(srv.data, "Segera perpanjang.") {
				t.Errorf("tls %v, auth %q, data:\n%s", srv.tlsUsed, srv.auth, srv.data)
			}
		})
	}
	t.Run("starttls demanded but not offered", func(t *testing.T) {
		srv, pool := newTLSSMTP(t, false, false)
		s, err := NewSMTPSender(SMTPConfig{Addr: srv.addr(), From: "noreply@blitar.example", TLS: TLSStartTLS, RootCAs: pool, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), "a@example.com", msg); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("Send without STARTTLS on offer: %v, want a refusal", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv, _ := newTLSSMTP(t, true, false)
		s, err := NewSMTPSender(SMTPConfig{Addr: srv.addr(), From: "noreply@blitar.example", TLS: TLSStartTLS, RootCAs: x509.NewCertPool(), Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), "a@example.com", msg); err == nil {
			t.Fatal("Send to a server with an untrusted certificate succeeded")
		}
	})
	if _, err := NewSMTPSender(SMTPConfig{Addr: "nohostport", From: "x@example.com"}); err == nil {
		t.Error("a bad address was accepted")
	}
	if _, err := NewSMTPSender(SMTPConfig{Addr: "localhost:25", From: "x@example.com", TLS: "ssl"}); err == nil {
		t.Error("a bad TLS mode was accepted")
	}
}
