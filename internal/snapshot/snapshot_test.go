package snapshot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type rec struct {
	Kind byte
	Data string
}

func write(t *testing.T, path string, h Header, recs []rec) {
	t.Helper()
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Add(r.Kind, []byte(r.Data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(h); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, s *Snapshot) []rec {
	t.Helper()
	var out []rec
	if err := s.Records(func(kind byte, data []byte) error {
		out = append(out, rec{kind, string(data)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func sample() (Header, []rec) {
	recs := []rec{{KindProducer, "p1"}, {KindProducer, ""}, {KindListing, strings.Repeat("x", 300)}, {KindListing, "l2"}, {KindListing, "l3"}}
	h := Header{Schema: 42, Database: "db-1", Position: time.Unix(1_800_000_000, 123), Written: time.Unix(1_800_000_005, 0), Producers: 2, Listings: 3}
	return h, recs
}

func TestRoundTripAndRestamp(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cat.snapshot")
	h, recs := sample()
	write(t, path, h, recs)
	s, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(h, s.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(recs, readAll(t, s)); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 {
		t.Fatalf("directory holds %v (%v), want the snapshot alone", entries, err)
	}

	pos := h.Position.Add(time.Minute)
	if err := Restamp(path, pos, pos); err != nil {
		t.Fatal(err)
	}
	s, err = Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Position.Equal(pos) || s.Schema != 42 || s.Database != "db-1" {
		t.Errorf("after restamp: %+v", s.Header)
	}
	if diff := cmp.Diff(recs, readAll(t, s)); diff != "" {
		t.Errorf("records after restamp (-want +got):\n%s", diff)
	}
}

// TestDamageIsFound flips, cuts and appends bytes everywhere in a file:
// every change is reported as ErrCorrupt, never read as records.
func TestDamageIsFound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "cat.snapshot")
	h, recs := sample()
	write(t, path, h, recs)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	try := func(name string, b []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Read gave %v, want ErrCorrupt", name, err)
		}
	}
	for i := range good {
		b := append([]byte(nil), good...)
		b[i] ^= 0x10
		try(fmt.Sprintf("flip-%d", i), b)
	}
	for _, n := range []int{0, 5, headerSize - 1, headerSize, len(good) - 1} {
		try(fmt.Sprintf("cut-%d", n), good[:n])
	}
	try("appended", append(append([]byte(nil), good...), 0))
	if _, err := Read(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestFramingChecked: a body whose checksum is right but whose records are
// not (a writer bug, or a hand-made file) is refused as well.
func TestFramingChecked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "cat.snapshot")
	h, recs := sample()
	h.Listings = 4 // one more than written
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Add(r.Kind, []byte(r.Data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(h); err == nil {
		t.Fatal("Commit accepted counts that differ from the records")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a refused commit left a file: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}
}
