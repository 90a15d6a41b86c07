// Package catalog is the in-memory read model behind SearchListings: every
// producer and listing the store holds, with inverted indexes over their text
// and compact per-listing filter data, so that a buyer's query at 100,000
// listings touches posting lists and small fixed-size records rather than
// protobuf messages.
//
// # Text
//
// Titles, attribute values, descriptions and producer names (with the
// producer's district) are normalised (NFKC, lower case, accents removed on
// Latin, Greek and Cyrillic letters but not on kana), cut into words on
// anything that is not a letter or digit (and between letters and digits, so
// "40cm" is "40 cm"), and English plurals are folded ("drums" is "drum").
// Han, Hiragana and Katakana text has no spaces, so it is indexed as single
// characters and character pairs: 非洲鼓 is found inside 手工非洲鼓.
// Traditional Chinese characters are folded to simplified ones, in listings,
// queries and the vocabulary alike, with OpenCC's character table
// (hanfold.go): 金貝鼓 finds 金贝鼓 and 錦鯉 finds 锦鲤.
//
// # Vocabulary
//
// A Vocabulary groups the words buyers use for one product across languages
// (djembe, jimbe, kendang, drum, 非洲鼓, ジャンベ ...) under a concept. It is
// data: vocabulary.json is embedded as the default and the trade office can
// extend it with a file of its own (LoadVocabulary). Listings are annotated
// with the concepts their text mentions when they are indexed; a query word
// that names a concept also matches every listing annotated with it (or with a
// narrower concept: "koi" finds a listing titled "Kohaku 25-35 cm"), scored
// below a literal match of the word itself. A concept may be restricted to
// categories, so that "sri rejeki" in a sambal maker's name does not make it
// an aglaonema grower.
//
// # Ranking
//
// Relevance is BM25-shaped: per field term frequency with saturation, field
// boosts (title 3, attributes 2, producer 1.5, description 1), inverse
// document frequency from the posting lists, synonyms at 0.8 (narrower
// concepts 0.7) of a literal match, and small boosts for verified producers
// and well-described listings. Words of a query must all match (each through
// itself or a synonym); when no listing has all of them, listings matching
// some are returned, those matching more words first, then by score. Single
// digits and stop words never make a listing match on their own: a query
// whose real words match nothing ("repldel4dfbcc") finds nothing. Ties go by
// resource name.
// Without text, listings of verified producers come first, then the better
// described ones (price, quantities, photos, HS code ...).
//
// # Prices
//
// Listing prices stay in their own currency and minor units. A price filter
// is turned, once per query and per listing currency, into exact integer
// bounds in that currency (big.Rat arithmetic, rounding half to even exactly
// as the converted prices shown in hits), so a filter in JPY needs no
// per-listing conversion and a new rate table needs no re-indexing.
//
// # Data structures
//
// A searchable listing has a doc slot. Per term and per concept there is a
// posting list (slot, BM25 weight, fields: 8 bytes) in ascending slot order;
// the producer's name and district are indexed with each of its listings,
// so that a query reads one list per term (PutProducer re-indexes the
// listings when the name or district changes). A one-word query reads its
// lists (the word, its concepts) side by side, a block of 4,096 slots at a
// time, into accumulators that stay in the core's cache (matchOne), and
// gets its matches in slot order; queries of several words accumulate per
// slot, the cheapest word first. Discrete filters and facets (category,
// district, ship-to country, producer kind, verified, certificate valid
// today) are a bitset of slots per value: a filter is an AND, a facet count
// an AND and a population count, whatever the size of the result, reading
// only the words where a rare value has members. Prices and HS codes are
// checked on a pointer-free per-slot record, quantities on a dense array of
// their own; the tests of a broad query's matches are conditional moves,
// not branches. Queries without
// text walk a static order (verified producers first, then description
// quality, then name) kept sorted on every write, so browsing needs no sort.
// Orders other than relevance read their keys (price in the base currency,
// newest, capacity) from dense per-slot arrays, and a page is picked with a
// bounded heap of the k best as matches are accepted (top-k selection),
// never a sort, or even a list, of all candidates.
// The matches of recent one-word queries, and the facet counts of broad
// queries without filters (browsing, one word), are cached until the next
// write (termcache.go); filters and order are computed for every query.
//
// # Concurrency
//
// An Index is guarded by a sync.RWMutex: searches share the read lock and run
// in parallel; writes (one listing or producer at a time) take the write
// lock. Listings are kept as marshalled bytes; the listings of hits are
// decoded once per version and view and shared by every response that
// shows them (hitListings), as whole kept answers are shared (results.go):
// a search answer is read-only, and Listing returns a caller's own copy.
//
// # Size and speed
//
// BenchmarkSearch (bench_test.go) builds indexes over synth catalogues and
// reports p50/p99 latency per query mix and the heap the index holds. At
// 100,000 listings the index takes about 80 MB (a third of it the listings'
// own bytes) and a search a few milliseconds at most on two cores; see the
// benchmark output for the current figures.
package catalog
