package testdb_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestZZProbe(t *testing.T) {
	coll := listings(t)
	res := coll.Distinct(t.Context(), "origin", bson.D{})
	raw, err := res.Raw()
	t.Logf("raw=%v err=%v len=%d bytes=%x", raw, err, len(raw), []byte(raw))
	var got []string
	t.Log(res.Decode(&got), got)
	var a bson.A
	t.Log(res.Decode(&a), a)
	var rr bson.M
	err = coll.Database().RunCommand(t.Context(), bson.D{{Key: "distinct", Value: "listings"}, {Key: "key", Value: "origin"}}).Decode(&rr)
	t.Log(rr, err)
}
