package validate

import (
	"math"
	"testing"
)

func TestPageSize(t *testing.T) {
	tests := []struct {
		n         int32
		want      int32
		violation bool
	}{
		{0, 50, false},
		{1, 1, false},
		{50, 50, false},
		{499, 499, false},
		{500, 500, false},
		{501, 50, true},
		{math.MaxInt32, 50, true},
		{-1, 50, true},
		{math.MinInt32, 50, true},
	}
	for _, tt := range tests {
		var v Violations
		got := PageSize(&v, "page_size", tt.n)
		if got != tt.want {
			t.Errorf("PageSize(%d) = %d, want %d", tt.n, got, tt.want)
		}
		if tt.violation {
			wantFields(t, &v, "page_size")
		} else {
			wantFields(t, &v)
		}
	}
}
