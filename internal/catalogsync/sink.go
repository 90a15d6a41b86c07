package catalogsync

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Sink is an in-memory read model fed with every producer and listing: the
// search index, and the candidate set the matching engine scans.
type Sink interface {
	PutProducer(p *pb.Producer)
	DeleteProducer(name string) // also drops the producer's listings
	PutListing(l *pb.Listing)
	DeleteListing(name string)
	SetExchangeRates(r *pb.ExchangeRates)
	// Names lists the producers and listings held.
	Names() (producers, listings []string)
}

// Tee feeds several sinks.
type Tee []Sink

// PutProducer implements Sink.
func (t Tee) PutProducer(p *pb.Producer) {
	for _, s := range t {
		s.PutProducer(p)
	}
}

// DeleteProducer implements Sink.
func (t Tee) DeleteProducer(name string) {
	for _, s := range t {
		s.DeleteProducer(name)
	}
}

// PutListing implements Sink.
func (t Tee) PutListing(l *pb.Listing) {
	for _, s := range t {
		s.PutListing(l)
	}
}

// DeleteListing implements Sink.
func (t Tee) DeleteListing(name string) {
	for _, s := range t {
		s.DeleteListing(name)
	}
}

// SetExchangeRates implements Sink.
func (t Tee) SetExchangeRates(r *pb.ExchangeRates) {
	for _, s := range t {
		s.SetExchangeRates(r)
	}
}

// Names implements Sink: the union over all sinks.
func (t Tee) Names() (producers, listings []string) {
	ps, ls := map[string]bool{}, map[string]bool{}
	for _, s := range t {
		p, l := s.Names()
		for _, n := range p {
			ps[n] = true
		}
		for _, n := range l {
			ls[n] = true
		}
	}
	for n := range ps {
		producers = append(producers, n)
	}
	for n := range ls {
		listings = append(listings, n)
	}
	return producers, listings
}
