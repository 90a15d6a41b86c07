package testdb

// RaceDetector tells the tests whether ParallelPerCPU is off.
const RaceDetector = raceDetector
