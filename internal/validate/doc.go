// Package validate checks API messages before they reach the domain and the
// store, and reports every problem at once as AIP-193 field violations, so that
// a client (often a small firm filling in a form) can fix all fields in one go.
//
// Each resource has two entry points. Normalize* tidies what a person typed
// (spaces, letter case, local phone numbers, district spelling) and Producer,
// Listing, Buyer and BuyingRequest then check the result strictly. Handlers call
// Normalize first; the validators never rely on that and reject untidy input
// rather than guess.
//
// Output-only fields (name, create_time, update_time, state, verification_*)
// and etag are not checked here: the API layer ignores or compares them.
package validate
