package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// databaseIDName is the settings document holding the database's identity.
const databaseIDName = "databaseId"

// DatabaseID returns a random id made once for this database and kept in
// it: replicas sharing the database read the same id, and a local file
// derived from another database (a catalogue snapshot, say) can tell it is
// foreign. The first caller creates it; an insert with a fixed _id is
// atomic on MongoDB and FerretDB alike, so racing replicas agree.
func (s *Store) DatabaseID(ctx context.Context) (string, error) {
	coll := s.db.Collection(SettingsCollection)
	var doc struct {
		ID string `bson:"id"`
	}
	err := coll.FindOne(ctx, bson.M{"_id": databaseIDName}).Decode(&doc)
	if err == nil && doc.ID != "" {
		return doc.ID, nil
	}
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return "", fmt.Errorf("read database id: %w", err)
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	if _, err := coll.InsertOne(ctx, bson.M{"_id": databaseIDName, "id": hex.EncodeToString(b)}); err != nil && !mongo.IsDuplicateKeyError(err) {
		return "", fmt.Errorf("create database id: %w", err)
	}
	if err := coll.FindOne(ctx, bson.M{"_id": databaseIDName}).Decode(&doc); err != nil {
		return "", fmt.Errorf("read database id: %w", err)
	}
	return doc.ID, nil
}
