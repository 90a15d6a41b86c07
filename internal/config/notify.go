package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"time"

	"github.com/adiekspor/temubisnis/internal/catalogsync"
)

// Notify configures notifications: the notifier's pace, the relevance
// threshold of new-request notices, links, the SMTP server, and webhook
// delivery.
type Notify struct {
	// Interval between notifier rounds; 0 turns the notifier off on this
	// replica (another may run it: events are derived from stored data,
	// so nothing is lost meanwhile).
	Interval time.Duration
	// FullScanInterval is how often the notifier scans every resource by
	// update time, the safety net under the change log it follows between
	// scans.
	FullScanInterval time.Duration
	// MinScore is the match score (0..1) a producer's listing needs for
	// the producer to hear of a new buying request.
	MinScore float64
	// BaseURL is the web app's address, for links in messages.
	BaseURL string
	// SMTP server; with no address, no e-mail is sent.
	SMTPAddr, SMTPFrom, SMTPUsername, SMTPPassword string
	// SMTPTLS is starttls, tls or none.
	SMTPTLS string
	// OfficeEmail receives the trade office's notices; empty: inbox only.
	OfficeEmail string
	// WebhookAllowLoopback admits http(s) to loopback addresses, for
	// development; WebhookAllowPrivate admits private address ranges.
	WebhookAllowLoopback, WebhookAllowPrivate bool
	// WebhookMaxAttempts before a delivery is dead-lettered.
	WebhookMaxAttempts int
	// RetryBase is the first retry's wait; it doubles up to RetryMax.
	RetryBase, RetryMax time.Duration
	// DeliveryRetention is how long finished deliveries and their logs
	// are kept; 0 keeps them forever.
	DeliveryRetention time.Duration
}

// MinDeliveryRetention is the shortest delivery retention accepted (other
// than 0): the notifier prunes hourly, and a receiver needs time to look
// up a delivery it is asked about.
const MinDeliveryRetention = time.Hour

// notifyFlags registers the flags of n and returns the function that
// parses their values after fs.Parse.
func (n *Notify) flags(fs *flag.FlagSet, env func(name, def string) string) func() error {
	var interval, fullScan, minScore, attempts, retryBase, retryMax, retention string
	fs.StringVar(&interval, "notify-interval", env("NOTIFY_INTERVAL", "5s"), "pause between notifier rounds; 0 turns the notifier off on this replica (TEMUBISNIS_NOTIFY_INTERVAL)")
	fs.StringVar(&fullScan, "notify-full-scan-interval", env("NOTIFY_FULL_SCAN_INTERVAL", "10m"), "how often the notifier scans every producer, buyer, request and match by update time, in case a change-log entry was lost (TEMUBISNIS_NOTIFY_FULL_SCAN_INTERVAL)")
	fs.StringVar(&minScore, "notify-min-score", env("NOTIFY_MIN_SCORE", "0.5"), "match score (0 to 1) a listing needs for its producer to hear of a new buying request (TEMUBISNIS_NOTIFY_MIN_SCORE)")
	fs.StringVar(&n.BaseURL, "public-url", env("PUBLIC_URL", "http://localhost:8080"), "the web app's public address, for links in e-mails (TEMUBISNIS_PUBLIC_URL)")
	fs.StringVar(&n.SMTPAddr, "smtp-addr", env("SMTP_ADDR", ""), "SMTP submission server host:port; empty sends no e-mail (TEMUBISNIS_SMTP_ADDR)")
	fs.StringVar(&n.SMTPFrom, "smtp-from", env("SMTP_FROM", "Temu Bisnis <noreply@localhost>"), "sender address of e-mails (TEMUBISNIS_SMTP_FROM)")
	fs.StringVar(&n.SMTPUsername, "smtp-username", env("SMTP_USERNAME", ""), "SMTP user name; empty: no authentication (TEMUBISNIS_SMTP_USERNAME)")
	fs.StringVar(&n.SMTPPassword, "smtp-password", env("SMTP_PASSWORD", ""), "SMTP password (TEMUBISNIS_SMTP_PASSWORD)")
	fs.StringVar(&n.SMTPTLS, "smtp-tls", env("SMTP_TLS", "starttls"), "starttls, tls (implicit, port 465) or none (a local relay only) (TEMUBISNIS_SMTP_TLS)")
	fs.StringVar(&n.OfficeEmail, "notify-office-email", env("NOTIFY_OFFICE_EMAIL", ""), "address that receives the trade office's notices by e-mail; empty: its inbox only (TEMUBISNIS_NOTIFY_OFFICE_EMAIL)")
	fs.BoolVar(&n.WebhookAllowLoopback, "webhook-allow-loopback", env("WEBHOOK_ALLOW_LOOPBACK", "") == "true", "allow webhook URLs on loopback, http included; development only (TEMUBISNIS_WEBHOOK_ALLOW_LOOPBACK=true)")
	fs.BoolVar(&n.WebhookAllowPrivate, "webhook-allow-private", env("WEBHOOK_ALLOW_PRIVATE", "") == "true", "allow webhook URLs in private address ranges, e.g. an office CRM (TEMUBISNIS_WEBHOOK_ALLOW_PRIVATE=true)")
	fs.StringVar(&attempts, "webhook-max-attempts", env("WEBHOOK_MAX_ATTEMPTS", "8"), "delivery attempts before a delivery is dead-lettered (TEMUBISNIS_WEBHOOK_MAX_ATTEMPTS)")
	fs.StringVar(&retryBase, "notify-retry-base", env("NOTIFY_RETRY_BASE", "10s"), "wait before the first retry of a failed delivery; doubles per attempt (TEMUBISNIS_NOTIFY_RETRY_BASE)")
	fs.StringVar(&retryMax, "notify-retry-max", env("NOTIFY_RETRY_MAX", "1h"), "longest wait between retries (TEMUBISNIS_NOTIFY_RETRY_MAX)")
	fs.StringVar(&retention, "delivery-retention", env("DELIVERY_RETENTION", "720h"), "how long delivered and dead-lettered webhook and e-mail deliveries (the delivery log) are kept, at least 1h; 0 keeps them forever (TEMUBISNIS_DELIVERY_RETENTION)")
	return func() error {
		var errs []error
		// A round must come before the change log prunes what the last
		// one has not read (the same margin a snapshot needs), or every
		// round would fall back to the full scan.
		maxInterval := catalogsync.MaxSnapshotInterval(catalogsync.DefaultRetention)
		switch d, err := time.ParseDuration(interval); {
		case err != nil || d < 0:
			errs = append(errs, fmt.Errorf("notify interval %q: want a duration, e.g. 5s, or 0 for off", interval))
		case d >= maxInterval:
			errs = append(errs, fmt.Errorf("notify interval %q (-notify-interval, TEMUBISNIS_NOTIFY_INTERVAL): want less than %s, since the change log the notifier follows keeps %s", interval, maxInterval, catalogsync.DefaultRetention))
		default:
			n.Interval = d
		}
		if d, err := time.ParseDuration(fullScan); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("notify full scan interval %q: want a positive duration, e.g. 10m", fullScan))
		} else {
			n.FullScanInterval = d
		}
		if f, err := strconv.ParseFloat(minScore, 64); err != nil || f <= 0 || f > 1 {
			errs = append(errs, fmt.Errorf("notify min score %q: want a number above 0 and at most 1", minScore))
		} else {
			n.MinScore = f
		}
		if a, err := strconv.Atoi(attempts); err != nil || a < 1 || a > 100 {
			errs = append(errs, fmt.Errorf("webhook max attempts %q: want 1 to 100", attempts))
		} else {
			n.WebhookMaxAttempts = a
		}
		for name, p := range map[string]struct {
			raw string
			d   *time.Duration
		}{"notify retry base": {retryBase, &n.RetryBase}, "notify retry max": {retryMax, &n.RetryMax}} {
			d, err := time.ParseDuration(p.raw)
			if err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("%s %q: want a positive duration", name, p.raw))
				continue
			}
			*p.d = d
		}
		switch d, err := time.ParseDuration(retention); {
		case err != nil || d < 0 || (d != 0 && d < MinDeliveryRetention):
			errs = append(errs, fmt.Errorf("delivery retention %q (-delivery-retention, TEMUBISNIS_DELIVERY_RETENTION): want 0 (keep forever) or a duration of at least %s, e.g. 720h", retention, MinDeliveryRetention))
		default:
			n.DeliveryRetention = d
		}
		if u, err := url.Parse(n.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("public url %q: want an http(s) URL", n.BaseURL))
		}
		if n.SMTPAddr != "" {
			if _, _, err := net.SplitHostPort(n.SMTPAddr); err != nil {
				errs = append(errs, fmt.Errorf("smtp addr %q: want host:port", n.SMTPAddr))
			}
			if _, err := mail.ParseAddress(n.SMTPFrom); err != nil {
				errs = append(errs, fmt.Errorf("smtp from %q: want an e-mail address", n.SMTPFrom))
			}
		}
		if _, err := mail.ParseAddress(n.OfficeEmail); n.OfficeEmail != "" && err != nil {
			errs = append(errs, fmt.Errorf("notify office email %q: want an e-mail address", n.OfficeEmail))
		}
		switch n.SMTPTLS {
		case "starttls", "tls", "none":
		default:
			errs = append(errs, fmt.Errorf("smtp tls %q: want starttls, tls or none", n.SMTPTLS))
		}
		return errors.Join(errs...)
	}
}

// LogValue prints the settings with the SMTP password masked.
func (n Notify) LogValue() slog.Value {
	pw := ""
	if n.SMTPPassword != "" {
		pw = "xxxxx"
	}
	return slog.GroupValue(
		slog.Duration("interval", n.Interval),
		slog.Duration("full_scan_interval", n.FullScanInterval),
		slog.Float64("min_score", n.MinScore),
		slog.String("public_url", n.BaseURL),
		slog.String("smtp_addr", n.SMTPAddr),
		slog.String("smtp_from", n.SMTPFrom),
		slog.String("smtp_username", n.SMTPUsername),
		slog.String("smtp_password", pw),
		slog.String("smtp_tls", n.SMTPTLS),
		slog.String("office_email", n.OfficeEmail),
		slog.Bool("webhook_allow_loopback", n.WebhookAllowLoopback),
		slog.Bool("webhook_allow_private", n.WebhookAllowPrivate),
		slog.Int("webhook_max_attempts", n.WebhookMaxAttempts),
		slog.Duration("delivery_retention", n.DeliveryRetention),
	)
}
