package apoxyemulator_test

import (
	"context"
	"testing"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

func TestBackendsAgainstTheEmulator(t *testing.T) {
	ctx := context.Background()
	e := apoxyemulator.Start(t) // a fresh emulator on a free port, stopped when the test ends

	// Any client-go based client: the dynamic client here, a generated clientset or
	// controller-runtime alike, from e.RESTConfig(); kubectl from e.Kubeconfig().
	backends := dynamic.NewForConfigOrDie(e.RESTConfig()).Resource(schema.GroupVersionResource{
		Group: "core.apoxy.dev", Version: "v1alpha2", Resource: "backends",
	})

	// A known state: manifests as YAML (or objects through e.Seed).
	if _, err := e.SeedYAML(ctx, `
apiVersion: core.apoxy.dev/v1alpha2
kind: Backend
metadata: {name: existing, labels: {tier: edge}}
spec: {endpoints: [{fqdn: existing.example.com}], protocol: h2}
`); err != nil {
		t.Fatal(err)
	}

	// The next create is throttled: 429 with Retry-After: 1, which client-go waits out and retries.
	if _, err := e.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{
		Match: &apoxyemulator.FaultMatch{Operations: []string{"create"}},
		Times: 1,
		Error: &apoxyemulator.FaultError{Code: 429, RetryAfterSeconds: 1},
	}}}); err != nil {
		t.Fatal(err)
	}
	web := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "core.apoxy.dev/v1alpha2",
		"kind":       "Backend",
		"metadata":   map[string]any{"name": "web", "labels": map[string]any{"tier": "edge"}},
		"spec":       map[string]any{"endpoints": []any{map[string]any{"fqdn": "web.example.com"}}, "protocol": "H2"},
	}}
	created, err := backends.Create(ctx, web, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if protocol, _, _ := unstructured.NestedString(created.Object, "spec", "protocol"); protocol != "h2" {
		t.Errorf("protocol %q: Apoxy stores it lowercased", protocol)
	}

	edge, err := backends.List(ctx, metav1.ListOptions{LabelSelector: "tier=edge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(edge.Items) != 2 {
		t.Errorf("%d Backends with tier=edge, want 2", len(edge.Items))
	}

	// What the client sent: the throttled create, then its retry.
	posts, err := e.Requests(ctx, apoxyemulator.RequestFilter{Method: "POST"})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 2 || posts[0].Status != 429 || posts[1].Status != 201 {
		t.Errorf("requests %+v, want a 429 then a 201", posts)
	}
}
