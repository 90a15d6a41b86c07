package matchcache

import (
	"context"
	"testing"
)

// BenchmarkEngine is the cost a ranking call pays for its engine when the
// cached one is current: a lock, two comparisons, no store read.
func BenchmarkEngine(b *testing.B) {
	c, st, _, _ := setup()
	ctx := context.Background()
	if _, err := c.Engine(ctx); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Engine(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	if st.reqReads != 1 || st.hisReads != 1 {
		b.Errorf("reads: requirements %d, history %d; the cached engine should need none", st.reqReads, st.hisReads)
	}
}
