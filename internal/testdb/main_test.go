package testdb_test

import (
	"testing"

	"github.com/adiekspor/temubisnis/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
