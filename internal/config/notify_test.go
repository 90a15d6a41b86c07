package config

import (
	"strings"
	"testing"
	"time"
)

func TestNotifyConfig(t *testing.T) {
	none := func(string) string { return "" }
	c, err := Parse(nil, none)
	if err != nil {
		t.Fatal(err)
	}
	n := c.Notify
	if n.Interval != 5*time.Second || n.MinScore != 0.5 || n.SMTPAddr != "" || n.SMTPTLS != "starttls" || n.WebhookMaxAttempts != 8 ||
		n.WebhookAllowLoopback || n.WebhookAllowPrivate || n.RetryBase != 10*time.Second || n.RetryMax != time.Hour || n.FullScanInterval != 10*time.Minute ||
		n.DeliveryRetention != 720*time.Hour {
		t.Errorf("defaults: %+v", n)
	}
	env := map[string]string{"TEMUBISNIS_NOTIFY_FULL_SCAN_INTERVAL": "30m", "TEMUBISNIS_SMTP_ADDR": "smtp.blitar.example:587", "TEMUBISNIS_SMTP_PASSWORD": "s3cret", "TEMUBISNIS_WEBHOOK_ALLOW_PRIVATE": "true"}
	c, err = Parse([]string{"-notify-interval", "0", "-smtp-tls", "tls"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Notify.Interval != 0 || c.Notify.FullScanInterval != 30*time.Minute || c.Notify.SMTPAddr != "smtp.blitar.example:587" || c.Notify.SMTPTLS != "tls" || !c.Notify.WebhookAllowPrivate {
		t.Errorf("flags and environment: %+v", c.Notify)
	}
	if v := c.Notify.LogValue().String(); strings.Contains(v, "s3cret") {
		t.Errorf("the SMTP password is logged: %s", v)
	}
	for _, bad := range [][]string{
		{"-notify-interval", "-1s"}, {"-notify-interval", "8m"}, {"-notify-interval", "1h"}, {"-notify-min-score", "0"}, {"-notify-min-score", "1.5"}, {"-smtp-tls", "ssl"},
		{"-smtp-addr", "no-port"}, {"-smtp-addr", "h:25", "-smtp-from", "not an address"}, {"-webhook-max-attempts", "0"},
		{"-notify-retry-base", "0s"}, {"-public-url", "ftp://x"}, {"-notify-office-email", "dinas"},
		{"-notify-full-scan-interval", "0"}, {"-notify-full-scan-interval", "-1m"}, {"-notify-full-scan-interval", "10"},
	} {
		if _, err := Parse(bad, none); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestDeliveryRetention(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want time.Duration
	}{
		{nil, "", 720 * time.Hour},
		{nil, "2160h", 2160 * time.Hour},
		{[]string{"-delivery-retention", "0"}, "2160h", 0}, // the flag wins
		{[]string{"-delivery-retention", "1h"}, "", time.Hour},
	} {
		c, err := Parse(tc.args, func(k string) string {
			if k == "TEMUBISNIS_DELIVERY_RETENTION" {
				return tc.env
			}
			return ""
		})
		if err != nil {
			t.Errorf("%v, env %q: %v", tc.args, tc.env, err)
			continue
		}
		if c.Notify.DeliveryRetention != tc.want {
			t.Errorf("%v, env %q: retention %v, want %v", tc.args, tc.env, c.Notify.DeliveryRetention, tc.want)
		}
	}
	for _, bad := range []string{"-1h", "59m", "30s", "720", "a month"} {
		_, err := Parse([]string{"-delivery-retention", bad}, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), "-delivery-retention") || !strings.Contains(err.Error(), "TEMUBISNIS_DELIVERY_RETENTION") {
			t.Errorf("-delivery-retention %s: %v; want an error naming the flag and the variable", bad, err)
		}
	}
	if _, err := Parse(nil, func(k string) string {
		if k == "TEMUBISNIS_DELIVERY_RETENTION" {
			return "-5h"
		}
		return ""
	}); err == nil {
		t.Error("TEMUBISNIS_DELIVERY_RETENTION=-5h accepted")
	}
}
