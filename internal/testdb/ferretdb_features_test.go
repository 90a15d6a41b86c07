package testdb_test

// This file pins down the MongoDB features the store relies on, through the real driver, against
// the server the tests run on (embedded FerretDB 1.24 by default, or TEMUBISNIS_TEST_MONGODB_URI).
// If a FerretDB upgrade changes any of these behaviours a subtest fails here, before the store's
// own tests fail in a less obvious way. Where FerretDB and MongoDB differ, the subtest asserts each
// server's behaviour separately, so the difference is written down.

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/testdb"
)

// isFerretDB reports whether the server is FerretDB, which adds ferretdbVersion to buildInfo.
func isFerretDB(t *testing.T, db *mongo.Database) bool {
	t.Helper()
	var info bson.M
	if err := db.RunCommand(t.Context(), bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		t.Fatalf("buildInfo: %v", err)
	}
	_, ok := info["ferretdbVersion"]
	return ok
}

func insert(t *testing.T, coll *mongo.Collection, docs ...any) {
	t.Helper()
	if _, err := coll.InsertMany(t.Context(), docs); err != nil {
		t.Fatalf("InsertMany into %s: %v", coll.Name(), err)
	}
}

func createIndex(t *testing.T, coll *mongo.Collection, m mongo.IndexModel) {
	t.Helper()
	if _, err := coll.Indexes().CreateOne(t.Context(), m); err != nil {
		t.Fatalf("CreateOne index %v on %s: %v", m.Keys, coll.Name(), err)
	}
}

// ids runs a find and returns the _id values, in the order the server returned them.
func ids(t *testing.T, coll *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) []string {
	t.Helper()
	cur, err := coll.Find(t.Context(), filter, opts...)
	if err != nil {
		t.Fatalf("Find %v: %v", filter, err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(t.Context(), &docs); err != nil {
		t.Fatalf("Find %v: reading cursor: %v", filter, err)
	}
	out := []string{}
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}

var byID = options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})

// listings is a small catalogue shaped like the store's documents.
func listings(t *testing.T) *mongo.Collection {
	t.Helper()
	coll := testdb.New(t).Collection("listings")
	insert(t, coll,
		bson.D{{Key: "_id", Value: "a"}, {Key: "hs", Value: "030111"}, {Key: "origin", Value: "ID"}, {Key: "shipTo", Value: bson.A{"JP", "SG"}},
			{Key: "certifications", Value: bson.A{bson.D{{Key: "type", Value: "HALAL"}}, bson.D{{Key: "type", Value: "ORGANIC"}}}},
			{Key: "price", Value: int64(1500)}, {Key: "state", Value: "ACTIVE"}},
		bson.D{{Key: "_id", Value: "b"}, {Key: "hs", Value: "030199"}, {Key: "origin", Value: "VN"}, {Key: "shipTo", Value: bson.A{"US"}},
			{Key: "certifications", Value: bson.A{bson.D{{Key: "type", Value: "HACCP"}}}},
			{Key: "price", Value: int64(900)}, {Key: "state", Value: "ACTIVE"}},
		bson.D{{Key: "_id", Value: "c"}, {Key: "hs", Value: "0302"}, {Key: "origin", Value: "ID"}, {Key: "shipTo", Value: bson.A{"JP"}},
			{Key: "certifications", Value: bson.A{}},
			{Key: "price", Value: int64(700)}, {Key: "state", Value: "CLOSED"}, {Key: "note", Value: "frozen"}},
		bson.D{{Key: "_id", Value: "d"}, {Key: "hs", Value: "10301"}, {Key: "origin", Value: "TH"}, {Key: "shipTo", Value: bson.A{}},
			{Key: "price", Value: int64(2000)}, {Key: "state", Value: "ACTIVE"}},
	)
	return coll
}

func TestFerretDBFeatures(t *testing.T) {
	t.Run("unique index rejects a duplicate value", func(t *testing.T) {
		coll := testdb.New(t).Collection("buyers")
		createIndex(t, coll, mongo.IndexModel{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true)})
		insert(t, coll, bson.D{{Key: "_id", Value: "1"}, {Key: "email", Value: "a@example.com"}})
		_, err := coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "2"}, {Key: "email", Value: "a@example.com"}})
		if !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("duplicate email: got %v, want a duplicate key error", err)
		}
		insert(t, coll, bson.D{{Key: "_id", Value: "3"}, {Key: "email", Value: "b@example.com"}})
	})

	t.Run("unique index and documents missing the field", func(t *testing.T) {
		db := testdb.New(t)
		coll := db.Collection("buyers")
		createIndex(t, coll, mongo.IndexModel{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true)})
		insert(t, coll, bson.D{{Key: "_id", Value: "1"}})
		_, err := coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "2"}})
		if isFerretDB(t, db) {
			// SQLite treats the missing values as NULLs, which never collide.
			if err != nil {
				t.Fatalf("FerretDB: second document without email: %v, want it accepted", err)
			}
		} else if !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("MongoDB: second document without email: got %v, want a duplicate key error", err)
		}
	})

	t.Run("sparse unique index", func(t *testing.T) {
		db := testdb.New(t)
		coll := db.Collection("producers")
		createIndex(t, coll, mongo.IndexModel{
			Keys:    bson.D{{Key: "taxId", Value: 1}},
			Options: options.Index().SetUnique(true).SetSparse(true).SetName("taxId_sparse"),
		})
		// Several documents without the field are allowed...
		insert(t, coll, bson.D{{Key: "_id", Value: "1"}}, bson.D{{Key: "_id", Value: "2"}})
		// ...while a repeated value is still rejected.
		insert(t, coll, bson.D{{Key: "_id", Value: "3"}, {Key: "taxId", Value: "X1"}})
		_, err := coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "4"}, {Key: "taxId", Value: "X1"}})
		if !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("duplicate taxId: got %v, want a duplicate key error", err)
		}

		// An explicit null is a value for a sparse index, on both servers.
		insert(t, coll, bson.D{{Key: "_id", Value: "5"}, {Key: "taxId", Value: nil}})
		_, err = coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "6"}, {Key: "taxId", Value: nil}})
		if !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("second explicit null taxId: got %v, want a duplicate key error", err)
		}

		// FerretDB accepts the sparse option but ignores it: the index is listed without it.
		spec := indexSpec(t, coll, "taxId_sparse")
		sparse, _ := spec["sparse"].(bool)
		if ferret := isFerretDB(t, db); sparse == ferret {
			t.Errorf("index listed as %v: sparse=%v, want sparse=%v on this server (FerretDB: %v)", spec, sparse, !ferret, ferret)
		}
	})

	t.Run("duplicate _id is a duplicate key error", func(t *testing.T) {
		coll := testdb.New(t).Collection("c")
		insert(t, coll, bson.D{{Key: "_id", Value: "x"}})
		_, err := coll.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "x"}})
		if !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("duplicate _id: got %v, want a duplicate key error", err)
		}
	})

	t.Run("InsertMany", func(t *testing.T) {
		coll := testdb.New(t).Collection("c")
		res, err := coll.InsertMany(t.Context(), []any{bson.D{{Key: "_id", Value: "1"}}, bson.D{{Key: "_id", Value: "2"}}})
		if err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		if len(res.InsertedIDs) != 2 {
			t.Errorf("InsertMany inserted %v, want 2 ids", res.InsertedIDs)
		}
	})

	queries := []struct {
		name   string
		filter bson.D
		want   []string
	}{
		{"anchored $regex prefix", bson.D{{Key: "hs", Value: bson.D{{Key: "$regex", Value: "^0301"}}}}, []string{"a", "b"}},
		{"equality on an array field matches an element", bson.D{{Key: "shipTo", Value: "JP"}}, []string{"a", "c"}},
		{"$in", bson.D{{Key: "origin", Value: bson.D{{Key: "$in", Value: bson.A{"VN", "TH"}}}}}, []string{"b", "d"}},
		{"$in on an array field", bson.D{{Key: "shipTo", Value: bson.D{{Key: "$in", Value: bson.A{"SG", "US"}}}}}, []string{"a", "b"}},
		{"$or", bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "origin", Value: "VN"}}, bson.D{{Key: "state", Value: "CLOSED"}}}}}, []string{"b", "c"}},
		{"$and", bson.D{{Key: "$and", Value: bson.A{bson.D{{Key: "origin", Value: "ID"}}, bson.D{{Key: "state", Value: "ACTIVE"}}}}}, []string{"a"}},
		{"$exists true", bson.D{{Key: "note", Value: bson.D{{Key: "$exists", Value: true}}}}, []string{"c"}},
		{"$exists false", bson.D{{Key: "certifications", Value: bson.D{{Key: "$exists", Value: false}}}}, []string{"d"}},
		{"dotted path into an array of sub-documents", bson.D{{Key: "certifications.type", Value: "HALAL"}}, []string{"a"}},
		{"range on int64", bson.D{{Key: "price", Value: bson.D{{Key: "$gte", Value: int64(900)}, {Key: "$lt", Value: int64(2000)}}}}, []string{"a", "b"}},
	}
	for _, q := range queries {
		t.Run("query "+q.name, func(t *testing.T) {
			got := ids(t, listings(t), q.filter, byID)
			if diff := cmp.Diff(q.want, got); diff != "" {
				t.Errorf("Find %v: ids (-want +got):\n%s", q.filter, diff)
			}
		})
	}

	t.Run("keyset paging: sort by _id, $gt, limit", func(t *testing.T) {
		coll := listings(t)
		var pages [][]string
		after := ""
		for range 4 {
			page := ids(t, coll, bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: after}}}},
				options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(3))
			pages = append(pages, page)
			if len(page) < 3 {
				break
			}
			after = page[len(page)-1]
		}
		if diff := cmp.Diff([][]string{{"a", "b", "c"}, {"d"}}, pages); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})

	t.Run("keyset paging on (price desc, _id asc)", func(t *testing.T) {
		coll := listings(t)
		insert(t, coll, bson.D{{Key: "_id", Value: "e"}, {Key: "price", Value: int64(1500)}})
		sort := options.Find().SetSort(bson.D{{Key: "price", Value: -1}, {Key: "_id", Value: 1}}).SetLimit(2)
		var pages [][]string
		filter := bson.D{}
		for range 4 {
			cur, err := coll.Find(t.Context(), filter, sort)
			if err != nil {
				t.Fatalf("Find %v: %v", filter, err)
			}
			var page []struct {
				ID    string `bson:"_id"`
				Price int64  `bson:"price"`
			}
			if err := cur.All(t.Context(), &page); err != nil {
				t.Fatalf("Find %v: %v", filter, err)
			}
			var got []string
			for _, d := range page {
				got = append(got, d.ID)
			}
			pages = append(pages, got)
			if len(page) < 2 {
				break
			}
			last := page[len(page)-1]
			filter = bson.D{{Key: "$or", Value: bson.A{
				bson.D{{Key: "price", Value: bson.D{{Key: "$lt", Value: last.Price}}}},
				bson.D{{Key: "price", Value: last.Price}, {Key: "_id", Value: bson.D{{Key: "$gt", Value: last.ID}}}},
			}}}
		}
		if diff := cmp.Diff([][]string{{"d", "a"}, {"e", "b"}, {"c"}}, pages); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})

	t.Run("ReplaceOne conditional on version", func(t *testing.T) {
		coll := testdb.New(t).Collection("c")
		insert(t, coll, bson.D{{Key: "_id", Value: "p"}, {Key: "version", Value: int64(2)}, {Key: "name", Value: "old"}})
		stale, err := coll.ReplaceOne(t.Context(), bson.D{{Key: "_id", Value: "p"}, {Key: "version", Value: int64(1)}},
			bson.D{{Key: "version", Value: int64(2)}, {Key: "name", Value: "stale"}})
		if err != nil {
			t.Fatalf("ReplaceOne with stale version: %v", err)
		}
		if stale.MatchedCount != 0 || stale.ModifiedCount != 0 {
			t.Errorf("ReplaceOne with stale version: matched %d, modified %d, want 0, 0", stale.MatchedCount, stale.ModifiedCount)
		}
		fresh, err := coll.ReplaceOne(t.Context(), bson.D{{Key: "_id", Value: "p"}, {Key: "version", Value: int64(2)}},
			bson.D{{Key: "version", Value: int64(3)}, {Key: "name", Value: "new"}})
		if err != nil {
			t.Fatalf("ReplaceOne with current version: %v", err)
		}
		if fresh.MatchedCount != 1 || fresh.ModifiedCount != 1 {
			t.Errorf("ReplaceOne with current version: matched %d, modified %d, want 1, 1", fresh.MatchedCount, fresh.ModifiedCount)
		}
		var got struct {
			Version int64  `bson:"version"`
			Name    string `bson:"name"`
		}
		if err := coll.FindOne(t.Context(), bson.D{{Key: "_id", Value: "p"}}).Decode(&got); err != nil {
			t.Fatalf("FindOne: %v", err)
		}
		if got.Version != 3 || got.Name != "new" {
			t.Errorf("after replace: %+v, want version 3, name new", got)
		}
	})

	t.Run("UpdateOne with $set and $inc", func(t *testing.T) {
		coll := testdb.New(t).Collection("c")
		insert(t, coll, bson.D{{Key: "_id", Value: "p"}, {Key: "version", Value: int64(1)}, {Key: "name", Value: "old"}})
		res, err := coll.UpdateOne(t.Context(), bson.D{{Key: "_id", Value: "p"}, {Key: "version", Value: int64(1)}}, bson.D{
			{Key: "$set", Value: bson.D{{Key: "name", Value: "new"}}},
			{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}},
		})
		if err != nil {
			t.Fatalf("UpdateOne: %v", err)
		}
		if res.MatchedCount != 1 || res.ModifiedCount != 1 {
			t.Errorf("UpdateOne: matched %d, modified %d, want 1, 1", res.MatchedCount, res.ModifiedCount)
		}
		var got bson.M
		if err := coll.FindOne(t.Context(), bson.D{{Key: "_id", Value: "p"}}).Decode(&got); err != nil {
			t.Fatalf("FindOne: %v", err)
		}
		want := bson.M{"_id": "p", "version": int64(2), "name": "new"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after update (-want +got):\n%s", diff)
		}
	})

	t.Run("FindOneAndUpdate returning the document after", func(t *testing.T) {
		coll := testdb.New(t).Collection("counters")
		insert(t, coll, bson.D{{Key: "_id", Value: "seq"}, {Key: "n", Value: int64(41)}})
		var got struct {
			N int64 `bson:"n"`
		}
		err := coll.FindOneAndUpdate(t.Context(), bson.D{{Key: "_id", Value: "seq"}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&got)
		if err != nil {
			t.Fatalf("FindOneAndUpdate: %v", err)
		}
		if got.N != 42 {
			t.Errorf("FindOneAndUpdate returned n=%d, want 42 (the updated document)", got.N)
		}
		err = coll.FindOneAndUpdate(t.Context(), bson.D{{Key: "_id", Value: "missing"}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Err()
		if !errors.Is(err, mongo.ErrNoDocuments) {
			t.Errorf("FindOneAndUpdate on a missing document: got %v, want mongo.ErrNoDocuments", err)
		}
	})

	t.Run("DeleteMany by field", func(t *testing.T) {
		coll := listings(t)
		res, err := coll.DeleteMany(t.Context(), bson.D{{Key: "origin", Value: "ID"}})
		if err != nil {
			t.Fatalf("DeleteMany: %v", err)
		}
		if res.DeletedCount != 2 {
			t.Errorf("DeleteMany deleted %d, want 2", res.DeletedCount)
		}
		if diff := cmp.Diff([]string{"b", "d"}, ids(t, coll, bson.D{}, byID)); diff != "" {
			t.Errorf("left after delete (-want +got):\n%s", diff)
		}
	})

	t.Run("CountDocuments with a filter", func(t *testing.T) {
		n, err := listings(t).CountDocuments(t.Context(), bson.D{{Key: "state", Value: "ACTIVE"}})
		if err != nil {
			t.Fatalf("CountDocuments: %v", err)
		}
		if n != 3 {
			t.Errorf("CountDocuments = %d, want 3", n)
		}
	})

	t.Run("Distinct", func(t *testing.T) {
		coll := listings(t)
		filter := bson.D{{Key: "state", Value: "ACTIVE"}}
		want := []string{"ID", "TH", "VN"} // both servers return distinct values sorted

		// The driver adds maxTimeMS to every command sent under a context deadline (here the
		// client's Timeout; in the service, the gRPC deadline). FerretDB 1.24's distinct rejects
		// that field. Note: DistinctResult.Decode does not report the command's error; check Err.
		res := coll.Distinct(t.Context(), "origin", filter)
		if isFerretDB(t, coll.Database()) {
			var se mongo.ServerError
			if err := res.Err(); !errors.As(err, &se) || !se.HasErrorCode(9) { // FailedToParse
				t.Errorf("FerretDB: Distinct with a deadline: got %v, want FailedToParse about maxTimeMS", err)
			}
		} else if err := res.Err(); err != nil {
			t.Errorf("MongoDB: Distinct with a deadline: %v", err)
		} else {
			var got []string
			if err := res.Decode(&got); err != nil {
				t.Fatalf("Distinct: decode: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Distinct (-want +got):\n%s", diff)
			}
		}

		// Without a deadline there is no maxTimeMS and FerretDB answers.
		client, err := mongo.Connect(options.Client().ApplyURI(testdb.URI(t)))
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}
		defer func() { _ = client.Disconnect(context.Background()) }()
		res = client.Database(coll.Database().Name()).Collection(coll.Name()).Distinct(t.Context(), "origin", filter)
		if err := res.Err(); err != nil {
			t.Fatalf("Distinct without a deadline: %v", err)
		}
		var got []string
		if err := res.Decode(&got); err != nil {
			t.Fatalf("Distinct without a deadline: decode: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Distinct without a deadline (-want +got):\n%s", diff)
		}
	})

	t.Run("distinct values through $unwind and $group", func(t *testing.T) {
		// The portable replacement for Distinct, including on array fields.
		cur, err := listings(t).Aggregate(t.Context(), mongo.Pipeline{
			{{Key: "$match", Value: bson.D{{Key: "state", Value: "ACTIVE"}}}},
			{{Key: "$unwind", Value: "$shipTo"}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$shipTo"}}}},
			{{Key: "$sort", Value: bson.D{{Key: "_id", Value: 1}}}},
		})
		if err != nil {
			t.Fatalf("Aggregate: %v", err)
		}
		var rows []struct {
			V string `bson:"_id"`
		}
		if err := cur.All(t.Context(), &rows); err != nil {
			t.Fatalf("Aggregate: reading cursor: %v", err)
		}
		got := []string{}
		for _, r := range rows {
			got = append(got, r.V)
		}
		if diff := cmp.Diff([]string{"JP", "SG", "US"}, got); diff != "" {
			t.Errorf("distinct shipTo (-want +got):\n%s", diff)
		}
	})

	t.Run("aggregate $match $group $sum $sort", func(t *testing.T) {
		cur, err := listings(t).Aggregate(t.Context(), mongo.Pipeline{
			{{Key: "$match", Value: bson.D{{Key: "state", Value: "ACTIVE"}}}},
			{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$origin"}, {Key: "total", Value: bson.D{{Key: "$sum", Value: "$price"}}}}}},
			{{Key: "$sort", Value: bson.D{{Key: "total", Value: -1}}}},
		})
		if err != nil {
			t.Fatalf("Aggregate: %v", err)
		}
		type row struct {
			Origin string `bson:"_id"`
			Total  int64  `bson:"total"`
		}
		var got []row
		if err := cur.All(t.Context(), &got); err != nil {
			t.Fatalf("Aggregate: reading cursor: %v", err)
		}
		want := []row{{"TH", 2000}, {"ID", 1500}, {"VN", 900}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Aggregate (-want +got):\n%s", diff)
		}
	})

	t.Run("CreateOne with the same index twice", func(t *testing.T) {
		coll := testdb.New(t).Collection("c")
		models := []mongo.IndexModel{
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true).SetName("email_unique")},
			{Keys: bson.D{{Key: "state", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("state_id")},
		}
		for i := range 2 {
			for _, m := range models {
				if _, err := coll.Indexes().CreateOne(t.Context(), m); err != nil {
					t.Fatalf("round %d: CreateOne %v: %v", i+1, m.Keys, err)
				}
			}
		}
		if spec := indexSpec(t, coll, "email_unique"); spec["unique"] != true {
			t.Errorf("email_unique listed as %v, want unique", spec)
		}
		indexSpec(t, coll, "state_id")
	})

	t.Run("CreateMany when two of its indexes already exist", func(t *testing.T) {
		db := testdb.New(t)
		coll := db.Collection("c")
		models := []mongo.IndexModel{
			{Keys: bson.D{{Key: "a", Value: 1}}, Options: options.Index().SetName("a")},
			{Keys: bson.D{{Key: "b", Value: 1}}, Options: options.Index().SetName("b")},
		}
		if _, err := coll.Indexes().CreateMany(t.Context(), models); err != nil {
			t.Fatalf("first CreateMany: %v", err)
		}
		_, err := coll.Indexes().CreateMany(t.Context(), models)
		if isFerretDB(t, db) {
			// FerretDB 1.24 removes already-existing entries from the list by their original
			// position, runs past the shortened slice, panics and drops the connection. (With
			// some orders it instead skips a new index silently.) So: one CreateOne per index.
			if !mongo.IsNetworkError(err) {
				t.Errorf("FerretDB: second CreateMany: got %v, want the connection dropped", err)
			}
		} else if err != nil {
			t.Errorf("MongoDB: second CreateMany: %v", err)
		}
	})

	t.Run("CreateOne with other options under an existing name", func(t *testing.T) {
		db := testdb.New(t)
		coll := db.Collection("c")
		createIndex(t, coll, mongo.IndexModel{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetName("email")})
		_, err := coll.Indexes().CreateOne(t.Context(), mongo.IndexModel{
			Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetName("email").SetUnique(true),
		})
		if isFerretDB(t, db) {
			// FerretDB compares only name and keys, reports success and keeps the old index: a
			// changed index definition is never applied on FerretDB and never reported.
			if err != nil {
				t.Errorf("FerretDB: conflicting CreateOne: got %v, want success", err)
			}
			if spec := indexSpec(t, coll, "email"); spec["unique"] == true {
				t.Errorf("FerretDB: index listed as %v, want the original, non-unique one", spec)
			}
		} else {
			var se mongo.ServerError
			// IndexOptionsConflict or IndexKeySpecsConflict
			if !errors.As(err, &se) || !(se.HasErrorCode(85) || se.HasErrorCode(86)) {
				t.Errorf("MongoDB: conflicting CreateOne: got %v, want IndexOptionsConflict", err)
			}
		}
	})
}

// indexSpec returns the listIndexes entry with the given name, failing the test if absent.
func indexSpec(t *testing.T, coll *mongo.Collection, name string) bson.M {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cur, err := coll.Indexes().List(ctx)
	if err != nil {
		t.Fatalf("list indexes: %v", err)
	}
	var specs []bson.M
	if err := cur.All(ctx, &specs); err != nil {
		t.Fatalf("list indexes: %v", err)
	}
	for _, s := range specs {
		if s["name"] == name {
			return s
		}
	}
	t.Fatalf("index %q not found among %v", name, fmt.Sprint(specs))
	return nil
}
