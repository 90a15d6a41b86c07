package testdb_test

import (
	"regexp"
	"slices"
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
