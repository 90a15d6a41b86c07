//go:build !linux

package catalog

import "time"

// threadCPU is not measured outside Linux; the cpu_ percentiles are 0.
func threadCPU() time.Duration { return 0 }
