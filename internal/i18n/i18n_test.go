package i18n

import "testing"

func TestSay(t *testing.T) {
	for _, tt := range []struct {
		l    Lang
		want string
	}{{English, "3 fish"}, {Indonesian, "3 ekor ikan"}} {
		if got := tt.l.Sayf("%d fish", "%d ekor ikan", 3); got != tt.want {
			t.Errorf("Sayf in %d = %q, want %q", tt.l, got, tt.want)
		}
	}
}
