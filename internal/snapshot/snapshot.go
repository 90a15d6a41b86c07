// Package snapshot is the file format of the catalogue snapshot: the
// producers and listings a replica holds in memory, stamped with the
// position in the change log they are current to, so that a restart loads
// them from a local file and catches up from the change log instead of
// reading the whole database.
//
// A file is a fixed 128-byte header and a body of records. The header holds
// a magic string, the format version, the caller's schema version, the
// database it was taken from, the change-log position, the record counts,
// the body's length and CRC-32C, and a CRC-32C of the header itself. Each
// record is a kind byte, the uvarint length of its data and the data (the
// protobuf wire form of a message, for catalogsync). Any damage is found
// before a single record is handed out: Read checks both checksums and the
// framing of every record.
//
// Files are written to a temporary file in the same directory, synced and
// renamed over the old one, so a crash leaves the old snapshot or the new
// one, never half of one.
package snapshot

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Format is the version of the file layout written by this package.
const Format = 1

const (
	magic      = "TBCATSNP"
	headerSize = 128
	// maxDatabaseID bounds Header.Database so that the header keeps its
	// fixed size.
	maxDatabaseID = 64
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Header describes a snapshot.
type Header struct {
	// Schema is the caller's version of what records mean; a reader
	// refuses a file of another schema.
	Schema uint64
	// Database identifies the database the records came from (at most 64
	// bytes).
	Database string
	// Position is the change-log position the records are current to:
	// every change recorded before it is reflected.
	Position time.Time
	// Written is when the file was written or last restamped.
	Written time.Time
	// Counts of records by kind, as the writer counted them; Read checks
	// them against the body.
	Producers, Listings uint32
}

// Record kinds.
const (
	KindProducer byte = 'P'
	KindListing  byte = 'L'
)

// ErrCorrupt is wrapped by every error that means the file is damaged or
// not a snapshot at all.
var ErrCorrupt = errors.New("snapshot corrupt")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

func (h *Header) encode(bodyLen uint64, bodyCRC uint32) ([]byte, error) {
	if len(h.Database) > maxDatabaseID {
		return nil, fmt.Errorf("snapshot: database id of %d bytes, at most %d", len(h.Database), maxDatabaseID)
	}
	b := make([]byte, headerSize)
	copy(b, magic)
	le := binary.LittleEndian
	le.PutUint32(b[8:], Format)
	le.PutUint64(b[12:], h.Schema)
	le.PutUint64(b[20:], uint64(h.Position.UnixNano()))
	le.PutUint64(b[28:], uint64(h.Written.UnixNano()))
	le.PutUint32(b[36:], h.Producers)
	le.PutUint32(b[40:], h.Listings)
	le.PutUint64(b[44:], bodyLen)
	le.PutUint32(b[52:], bodyCRC)
	b[56] = byte(len(h.Database))
	copy(b[57:57+maxDatabaseID], h.Database)
	le.PutUint32(b[headerSize-4:], crc32.Checksum(b[:headerSize-4], castagnoli))
	return b, nil
}

func decodeHeader(b []byte) (h Header, bodyLen uint64, bodyCRC uint32, err error) {
	if len(b) < headerSize {
		return h, 0, 0, corrupt("%d bytes, shorter than a header", len(b))
	}
	if string(b[:8]) != magic {
		return h, 0, 0, corrupt("not a catalogue snapshot")
	}
	le := binary.LittleEndian
	if crc32.Checksum(b[:headerSize-4], castagnoli) != le.Uint32(b[headerSize-4:]) {
		return h, 0, 0, corrupt("header checksum mismatch")
	}
	if v := le.Uint32(b[8:]); v != Format {
		return h, 0, 0, corrupt("format %d, this program reads %d", v, Format)
	}
	n := int(b[56])
	if n > maxDatabaseID {
		return h, 0, 0, corrupt("database id of %d bytes", n)
	}
	h = Header{
		Schema:    le.Uint64(b[12:]),
		Position:  time.Unix(0, int64(le.Uint64(b[20:]))),
		Written:   time.Unix(0, int64(le.Uint64(b[28:]))),
		Producers: le.Uint32(b[36:]),
		Listings:  le.Uint32(b[40:]),
		Database:  string(b[57 : 57+n]),
	}
	return h, le.Uint64(b[44:]), le.Uint32(b[52:]), nil
}

// Writer writes a snapshot to a temporary file; Commit puts it in place.
type Writer struct {
	path string
	f    *os.File
	buf  *bufio.Writer
	crc  hash.Hash32
	n    uint64
	// counts by kind, checked against the header at Commit.
	producers, listings uint32
	scratch             [binary.MaxVarintLen64 + 1]byte
	err                 error
}

// Create starts a snapshot that Commit will put at path.
func Create(path string) (*Writer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	// Room for the header, written last when the body's checksum is known.
	if _, err := f.Write(make([]byte, headerSize)); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return &Writer{path: path, f: f, buf: bufio.NewWriterSize(f, 1<<20), crc: crc32.New(castagnoli)}, nil
}

// Add appends a record.
func (w *Writer) Add(kind byte, data []byte) error {
	if w.err != nil {
		return w.err
	}
	switch kind {
	case KindProducer:
		w.producers++
	case KindListing:
		w.listings++
	default:
		return fmt.Errorf("snapshot: unknown record kind %q", kind)
	}
	w.scratch[0] = kind
	n := 1 + binary.PutUvarint(w.scratch[1:], uint64(len(data)))
	for _, b := range [][]byte{w.scratch[:n], data} {
		_, _ = w.crc.Write(b)
		if _, err := w.buf.Write(b); err != nil {
			w.err = fmt.Errorf("snapshot: %w", err)
			return w.err
		}
		w.n += uint64(len(b))
	}
	return nil
}

// Commit writes the header, syncs the file and renames it over path. The
// header's counts must be those of the records added.
func (w *Writer) Commit(h Header) error {
	defer w.Abort()
	if w.err != nil {
		return w.err
	}
	if h.Producers != w.producers || h.Listings != w.listings {
		return fmt.Errorf("snapshot: header counts %d producers, %d listings; %d and %d were added", h.Producers, h.Listings, w.producers, w.listings)
	}
	head, err := h.encode(w.n, w.crc.Sum32())
	if err != nil {
		return err
	}
	if err := w.buf.Flush(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if _, err := w.f.WriteAt(head, 0); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := os.Rename(w.f.Name(), w.path); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	w.f = nil
	return syncDir(filepath.Dir(w.path))
}

// Abort drops the temporary file; after Commit it does nothing.
func (w *Writer) Abort() {
	if w.f == nil {
		return
	}
	_ = w.f.Close()
	_ = os.Remove(w.f.Name())
	w.f = nil
}

// syncDir makes a rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("snapshot: sync %s: %w", dir, err)
	}
	return nil
}

// Snapshot is a file read and checked whole.
type Snapshot struct {
	Header
	body []byte
}

// Read reads and checks the snapshot at path: header, body checksum, the
// framing of every record and the counts. Errors that mean damage wrap
// ErrCorrupt; a missing file gives an error satisfying
// errors.Is(err, fs.ErrNotExist).
func Read(path string) (*Snapshot, error) {
	// One read of the whole file: records are handed out as slices of it,
	// with no allocation per record.
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	h, bodyLen, bodyCRC, err := decodeHeader(b)
	if err != nil {
		return nil, err
	}
	body := b[headerSize:]
	if uint64(len(body)) != bodyLen {
		return nil, corrupt("body of %d bytes, header says %d", len(body), bodyLen)
	}
	if crc32.Checksum(body, castagnoli) != bodyCRC {
		return nil, corrupt("body checksum mismatch")
	}
	s := &Snapshot{Header: h, body: body}
	var np, nl uint32
	if err := s.Records(func(kind byte, _ []byte) error {
		switch kind {
		case KindProducer:
			np++
		case KindListing:
			nl++
		default:
			return corrupt("unknown record kind %q", kind)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if np != h.Producers || nl != h.Listings {
		return nil, corrupt("%d producers and %d listings, header says %d and %d", np, nl, h.Producers, h.Listings)
	}
	return s, nil
}

// Records calls fn with every record in file order, stopping at fn's first
// error. data is a slice of the file read; fn must not keep it beyond the
// life of the Snapshot or change it.
func (s *Snapshot) Records(fn func(kind byte, data []byte) error) error {
	b := s.body
	for len(b) > 0 {
		kind := b[0]
		n, w := binary.Uvarint(b[1:])
		if w <= 0 || n > uint64(len(b)-1-w) {
			return corrupt("record framing broken %d bytes before the end", len(b))
		}
		start := 1 + w
		if err := fn(kind, b[start:start+int(n):start+int(n)]); err != nil {
			return err
		}
		b = b[start+int(n):]
	}
	return nil
}

// Size is the length of the body in bytes.
func (s *Snapshot) Size() int { return len(s.body) }

// Restamp moves the snapshot at path to a new position without rewriting
// its records, for a replica whose catalogue has not changed since the file
// was written. Only the header is rewritten in place; a crash half way
// leaves a header whose checksum fails, which readers ignore like any
// damaged file.
func Restamp(path string, position, written time.Time) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer func() { _ = f.Close() }()
	b := make([]byte, headerSize)
	if _, err := io.ReadFull(f, b); err != nil {
		return corrupt("read header: %v", err)
	}
	h, bodyLen, bodyCRC, err := decodeHeader(b)
	if err != nil {
		return err
	}
	h.Position, h.Written = position, written
	head, err := h.encode(bodyLen, bodyCRC)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(head, 0); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}
