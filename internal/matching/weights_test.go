package matching

import "testing"

func TestParseWeights(t *testing.T) {
	w, err := ParseWeights("price=0.3, trust=0")
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultWeights()
	if w.Price != 0.3 || w.Trust != 0 || w.Product != d.Product {
		t.Fatalf("weights = %+v", w)
	}
	if w, err := ParseWeights(""); err != nil || w != d {
		t.Fatalf("empty: %+v %v", w, err)
	}
	for _, bad := range []string{"colour=1", "price", "price=-1", "price=abc", "product=0,destination_experience=0,quantity=0,price=0,lead_time=0,export_readiness=0,trust=0,responsiveness=0"} {
		if _, err := ParseWeights(bad); err == nil {
			t.Errorf("ParseWeights(%q) accepted", bad)
		}
	}
}
