package store

import (
	"context"
	"net/url"
	"net/http"

	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// UsersAddr is the users service.
const UsersAddr = "users.acme.internal:50051"

const mongoURI = "mongodb://mongo-0.acme.internal:27017,mongo-1.acme.internal:27017/?replicaSet=rs0"

// Open connects to the document store.
func Open() {
	ctx := context.Background()
	mongo.Connect(ctx, options.Client().ApplyURI(mongoURI)) // want: egress tcp mongo-0.acme.internal 27017
	u, _ := url.Parse("http://reports.acme.internal/daily")
	http.Get(u.String()) // want: egress tcp ? ?
}
