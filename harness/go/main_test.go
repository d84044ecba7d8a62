package apoxyemulator_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// One emulator for the tests that need no options of their own; each resets it first.
var shared *apoxyemulator.Emulator

var backends = schema.GroupVersionResource{Group: "core.apoxy.dev", Version: "v1alpha2", Resource: "backends"}

func TestMain(m *testing.M) {
	e, err := apoxyemulator.StartServer(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = e
	code := m.Run()
	if err := e.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// fresh resets the shared emulator for a test and returns it.
func fresh(t *testing.T) *apoxyemulator.Emulator {
	t.Helper()
	if err := shared.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	return shared
}

// backendClient is client-go's dynamic client for e's Backends (v1alpha2).
func backendClient(e *apoxyemulator.Emulator) dynamic.ResourceInterface {
	return dynamic.NewForConfigOrDie(e.RESTConfig()).Resource(backends)
}

func labelsEverything() labels.Selector { return labels.Everything() }

func ptr[T any](v T) *T { return &v }
