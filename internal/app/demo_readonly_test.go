package app_test

import (
	"testing"

	"github.com/adiekspor/temubisnis/internal/config"
)

// TestReadOnDemoData runs the tests that only read the demo data on one
// service: a start with the demo data is the most expensive part of an
// end-to-end test. A test that writes anything (even one refused write the
// audit trail or a rate limit would count) starts a service of its own
// instead; it must not be added here.
func TestReadOnDemoData(t *testing.T) {
	t.Parallel()
	shared := start(t, startOpts{seed: config.SeedDemo})
	for name, test := range map[string]func(*testing.T, *env){
		"SearchOverREST":                    testSearchOverREST,
		"DemoDataOverREST":                  testDemoDataOverREST,
		"RequirementLookupOverREST":         testRequirementLookupOverREST,
		"ReadinessAndTrainingNeedsOverREST": testReadinessAndTrainingNeedsOverREST,
		"MatchBuyingRequestOnDemoData":      testMatchBuyingRequestOnDemoData,
		"ComputedListsArePaged":             testComputedListsArePaged,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, shared.forTest(t))
		})
	}
}

// forTest returns e for a subtest t: its helpers then report to t and
// their cleanups run when t ends.
func (e *env) forTest(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}
