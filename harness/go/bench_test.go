package apoxyemulator_test

import (
	"context"
	"fmt"
	"testing"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
)

// go test -bench . -run '^$' -benchtime 10x: start-up (a process until /readyz answers, and its
// stop) and the reset a shared emulator gets before each test.

func BenchmarkStart(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		e, err := apoxyemulator.StartServer(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := e.Stop(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// Reset after a test that left 10 Backends and a fault rule behind.
func BenchmarkReset(b *testing.B) {
	ctx := context.Background()
	objects := make([]any, 10)
	for i := range objects {
		objects[i] = backend(fmt.Sprintf("bench-%d", i), nil)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := shared.Seed(ctx, objects...); err != nil {
			b.Fatal(err)
		}
		if _, err := shared.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{Error: &apoxyemulator.FaultError{Code: 503}, Times: 1}}}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := shared.Reset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
