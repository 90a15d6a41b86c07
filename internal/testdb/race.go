//go:build race

package testdb

// raceDetector: the race detector makes every test several times slower, so
// ParallelPerCPU leaves -test.parallel at its default.
const raceDetector = true
