// Package contracttest proves the REST contract with tools nobody on this
// project wrote: a client generated from the served OpenAPI 3 document by
// oapi-codegen (gen/openapiclient) drives a running server, and kin-openapi's
// openapi3filter checks every request it sends and every response it gets
// against the same document. It has tests only.
package contracttest
