package testdb_test

import (
	"flag"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/adiekspor/temubisnis/internal/testdb"
)

var validName = regexp.MustCompile(`^t_[0-9a-f]{16}$`)

func TestNewGivesEmptyUniqueDatabases(t *testing.T) {
	a, b := testdb.New(t), testdb.New(t)
	for _, db := range []string{a.Name(), b.Name()} {
		if !validName.MatchString(db) || len(db) > 63 {
			t.Errorf("database name %q is not t_ followed by 16 hex digits", db)
		}
	}
	if a.Name() == b.Name() {
		t.Fatalf("two calls to New returned the same database %q", a.Name())
	}
	names, err := a.ListCollectionNames(t.Context(), bson.D{})
	if err != nil {
		t.Fatalf("ListCollectionNames: %v", err)
	}
	if len(names) != 0 {
		t.Errorf("new database has collections %v, want none", names)
	}
}

func TestNewDropsDatabaseWhenTestEnds(t *testing.T) {
	var name string
	t.Run("user", func(t *testing.T) {
		db := testdb.New(t)
		name = db.Name()
		if _, err := db.Collection("c").InsertOne(t.Context(), bson.D{{Key: "x", Value: 1}}); err != nil {
			t.Fatalf("InsertOne: %v", err)
		}
		if !slices.Contains(listDatabases(t), name) {
			t.Fatalf("database %s missing while its test runs", name)
		}
	})
	if slices.Contains(listDatabases(t), name) {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestURI(t *testing.T) {
	uri := testdb.URI(t)
	if !strings.HasPrefix(uri, "mongodb://") && !strings.HasPrefix(uri, "mongodb+srv://") {
		t.Errorf("URI() = %q, want a mongodb:// URI", uri)
	}
}

func listDatabases(t *testing.T) []string {
	t.Helper()
	names, err := testdb.New(t).Client().ListDatabaseNames(t.Context(), bson.D{})
	if err != nil {
		t.Fatalf("ListDatabaseNames: %v", err)
	}
	return names
}

// TestParallelPerCPU checks that the default of -test.parallel is raised and
// that a -test.parallel given on the command line is kept.
func TestParallelPerCPU(t *testing.T) {
	f := flag.Lookup("test.parallel")
	before := f.Value.String()
	t.Cleanup(func() { _ = f.Value.Set(before) })
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })

	testdb.ParallelPerCPU(3)
	want := strconv.Itoa(3 * runtime.GOMAXPROCS(0))
	if given || testdb.RaceDetector {
		want = before
	}
	if got := f.Value.String(); got != want {
		t.Errorf("-test.parallel is %s after ParallelPerCPU(3), want %s (given on the command line: %v)", got, want, given)
	}
}
