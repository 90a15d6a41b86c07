// Command generate finishes the OpenAPI v2 document written by
// protoc-gen-openapiv2 in place and writes its OpenAPI 3 conversion. It is
// run by .ci/generate:
//
//	go run ./internal/openapidoc/generate V2_FILE V3_FILE
package main

import (
	"fmt"
	"os"

	"github.com/adiekspor/temubisnis/internal/openapidoc"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "openapidoc:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: generate V2_FILE V3_FILE")
	}
	generated, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	v2, err := openapidoc.Finish(generated)
	if err != nil {
		return err
	}
	v3, err := openapidoc.ToV3(v2)
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[0], append(v2, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(args[1], append(v3, '\n'), 0o644)
}
