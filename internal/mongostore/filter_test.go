package mongostore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/adiekspor/temubisnis/internal/query"
)

// TestConjunctionIsFlat pins the shape FerretDB with PostgreSQL can push
// down: distinct keys at the top level, $and only when a key repeats.
func TestConjunctionIsFlat(t *testing.T) {
	t.Parallel()
	fields := map[string]string{"state": "state", "unit": "unit"}
	for _, tc := range []struct {
		name  string
		and   []bson.M
		conds []query.Condition
		want  bson.M
	}{
		{"empty", nil, nil, bson.M{}},
		{"parent only", []bson.M{{"parent": "producers/p"}}, nil, bson.M{"parent": "producers/p"}},
		{
			"parent, page and filter",
			[]bson.M{{"parent": "producers/p"}, {"_id": bson.M{"$gt": "producers/p/listings/a"}}},
			[]query.Condition{{Field: "state", Op: query.Eq, Value: "ACTIVE"}},
			bson.M{"parent": "producers/p", "_id": bson.M{"$gt": "producers/p/listings/a"}, "state": "ACTIVE"},
		},
		{
			"repeated key",
			[]bson.M{{"parent": "producers/p"}},
			[]query.Condition{{Field: "state", Op: query.Ne, Value: "ACTIVE"}, {Field: "state", Op: query.Ne, Value: "PAUSED"}},
			bson.M{"$and": []bson.M{{"parent": "producers/p"}, {"state": bson.M{"$ne": "ACTIVE"}}, {"state": bson.M{"$ne": "PAUSED"}}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := conjunction(tc.and, tc.conds, fields, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
		})
	}
}
