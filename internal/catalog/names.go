package catalog

// Names returns the names of the producers and listings the index holds, so
// that a full reload can remove what the database no longer has.
func (x *Index) Names() (producers, listings []string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for name, slot := range x.producerSlots {
		if pr := x.producers[slot]; pr != nil && pr.present {
			producers = append(producers, name)
		}
	}
	for name := range x.listings {
		listings = append(listings, name)
	}
	return producers, listings
}
