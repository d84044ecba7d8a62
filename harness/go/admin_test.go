package apoxyemulator_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestSeedReportsEachObject(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	report, err := e.Seed(ctx, backend("one", nil), map[string]any{
		"apiVersion": "core.apoxy.dev/v1alpha2", "kind": "Backend",
		"metadata": map[string]any{"name": "two", "labels": map[string]any{"tier": "edge"}},
		"spec":     map[string]any{"endpoints": []any{map[string]any{"ip": "10.0.0.7"}}, "protocol": "tls"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if report.Created != 2 || len(report.Results) != 2 || report.Results[1].Name != "two" {
		t.Fatalf("seed report %+v", report)
	}
	again, err := e.SeedYAML(ctx, "apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: one}\nspec: {endpoints: [{fqdn: one.example.com}], protocol: h2}\n")
	if err != nil {
		t.Fatal(err)
	}
	if again.Unchanged != 1 {
		t.Errorf("the same manifest again: %+v, want unchanged", again)
	}
	// A manifest the API refuses: the report and an error naming it.
	bad, err := e.SeedYAML(ctx, "apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: bad}\nspec: {endpoints: [{fqdn: 'x', ip: '10.0.0.1'}]}\n")
	if err == nil || bad.Failed != 1 || bad.Results[0].Status == nil || bad.Results[0].Status.Code != 422 {
		t.Fatalf("a Backend with both fqdn and ip: report %+v, err %v", bad, err)
	}
}

func TestRequestsRecordWhatTheClientSent(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	dyn := backendClient(e)
	if _, err := dyn.Create(ctx, backend("logged", nil), metav1.CreateOptions{FieldManager: "my-controller"}); err != nil {
		t.Fatal(err)
	}
	if _, err := dyn.Get(ctx, "missing", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("get missing: %v", err)
	}
	posts, err := e.Requests(ctx, apoxyemulator.RequestFilter{Method: http.MethodPost})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].Path != "/apis/core.apoxy.dev/v1alpha2/backends" || posts[0].Status != 201 || posts[0].Query["fieldManager"] != "my-controller" {
		t.Fatalf("POSTs: %+v", posts)
	}
	notFound, err := e.Requests(ctx, apoxyemulator.RequestFilter{Status: "4xx"})
	if err != nil {
		t.Fatal(err)
	}
	if len(notFound) != 1 || notFound[0].Path != "/apis/core.apoxy.dev/v1alpha2/backends/missing" {
		t.Fatalf("4xx: %+v", notFound)
	}
	if err := e.ClearRequests(ctx); err != nil {
		t.Fatal(err)
	}
	if all, _ := e.Requests(ctx, apoxyemulator.RequestFilter{}); len(all) != 0 {
		t.Errorf("after ClearRequests: %+v", all)
	}
}

func TestFaultsFireAndAreCounted(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	dyn := backendClient(e)
	if _, err := e.Seed(ctx, backend("flaky", nil)); err != nil {
		t.Fatal(err)
	}
	report, err := e.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{
		ID:    "unavailable-once",
		Match: &apoxyemulator.FaultMatch{Operations: []string{"get"}, Name: "flaky"},
		Times: 1,
		Error: &apoxyemulator.FaultError{Code: 503},
	}}})
	if err != nil || len(report.Rules) != 1 {
		t.Fatalf("SetFaults: %+v %v", report, err)
	}
	if _, err := dyn.Get(ctx, "flaky", metav1.GetOptions{}); !apierrors.IsServiceUnavailable(err) {
		t.Fatalf("first get: %v, want 503", err)
	}
	if _, err := dyn.Get(ctx, "flaky", metav1.GetOptions{}); err != nil {
		t.Fatalf("second get: %v", err)
	}
	report, err = e.Faults(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := report.Rules[0]; r.ID != "unavailable-once" || r.Matched != 2 || r.Fired != 1 || r.Match.Operations[0] != "get" {
		t.Fatalf("fault report %+v", r)
	}
	// A rule the emulator refuses: the Status, as an apierrors error.
	_, err = e.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{Error: &apoxyemulator.FaultError{Code: 418}}}})
	if !apierrors.IsBadRequest(err) {
		t.Fatalf("a 418 rule: %v, want 400 BadRequest", err)
	}
	if err := e.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if report, _ := e.Faults(ctx); len(report.Rules) != 0 {
		t.Errorf("rules after Reset: %+v", report.Rules)
	}
}

func TestClockAndResetPutItBack(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := apoxyemulator.Start(t, apoxyemulator.WithFixedClock(start), apoxyemulator.WithFaults(apoxyemulator.FaultConfig{
		Rules: []apoxyemulator.FaultRule{{ID: "slow-lists", Match: &apoxyemulator.FaultMatch{Operations: []string{"list"}}, Latency: &apoxyemulator.FaultLatency{Fixed: "1ms"}}},
	}))
	dyn := backendClient(e)
	state, err := e.AdvanceClock(ctx, 90*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !state.Fixed || !state.Now.Equal(start.Add(90*time.Minute)) {
		t.Fatalf("clock after AdvanceClock: %+v", state)
	}
	created, err := dyn.Create(ctx, backend("later", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := created.GetCreationTimestamp().UTC(); !got.Equal(start.Add(90 * time.Minute)) {
		t.Errorf("creationTimestamp %s", got)
	}
	if _, err := dyn.List(ctx, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ClearFaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	clock, err := e.Clock(ctx)
	if err != nil || !clock.Now.Equal(start) {
		t.Errorf("clock after Reset: %+v %v, want %s", clock, err, start)
	}
	faults, err := e.Faults(ctx)
	if err != nil || len(faults.Rules) != 1 || faults.Rules[0].ID != "slow-lists" || faults.Rules[0].Matched != 0 {
		t.Errorf("faults after Reset: %+v %v, want the start's rule re-armed", faults, err)
	}
	if list, _ := dyn.List(ctx, metav1.ListOptions{}); len(list.Items) != 0 {
		t.Errorf("objects after Reset: %d", len(list.Items))
	}
}

func TestSnapshotAndRestore(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	dyn := backendClient(e)
	a, err := dyn.Create(ctx, backend("a", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dyn.Create(ctx, backend("b", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := e.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Resources["backends"]) != 2 || snap.Resources["backends"]["a"].GetUID() != a.GetUID() {
		t.Fatalf("snapshot %+v", snap)
	}
	if err := dyn.DeleteCollection(ctx, metav1.DeleteOptions{}, metav1.ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.Restore(ctx, snap); err != nil {
		t.Fatal(err)
	}
	got, err := dyn.Get(ctx, "a", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetUID() != a.GetUID() || got.GetResourceVersion() == a.GetResourceVersion() {
		t.Errorf("restored a: uid %s rv %s (was %s, %s)", got.GetUID(), got.GetResourceVersion(), a.GetUID(), a.GetResourceVersion())
	}
}

// With a random seed, a fixed clock and WithResourceVersionRestart, every Reset is the same
// start: a test sees the same uids, generated names, timestamps and resourceVersions whatever
// ran before it, and the seeded object comes back as it was.
func TestResetIsTheSameStartEveryTime(t *testing.T) {
	ctx := context.Background()
	e := apoxyemulator.Start(t, apoxyemulator.WithRandomSeed(7), apoxyemulator.WithFixedClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		apoxyemulator.WithResourceVersionRestart(), apoxyemulator.WithSeedYAML("{apiVersion: core.apoxy.dev/v1alpha2, kind: Backend, metadata: {name: seeded}, spec: {endpoints: [{fqdn: s.example.com}]}}"))
	dyn := backendClient(e)
	session := func() []map[string]any {
		if err := e.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		gen := backend("x", nil)
		gen.SetName("")
		gen.SetGenerateName("gen-")
		var out []map[string]any
		for _, obj := range []any{gen, backend("named", nil)} {
			created, err := dyn.Create(ctx, obj.(*unstructured.Unstructured), metav1.CreateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, created.Object)
			if _, err := e.AdvanceClock(ctx, 90*time.Second); err != nil {
				t.Fatal(err)
			}
		}
		list, err := dyn.List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return append(out, list.UnstructuredContent())
	}
	first, second := session(), session()
	if !reflect.DeepEqual(first, second) {
		t.Errorf("a second session after Reset differs:\n%v\n%v", first, second)
	}
	if rv := first[1]["metadata"].(map[string]any)["resourceVersion"]; rv != "3" {
		t.Errorf("resourceVersion of the second create: %v, want 3 (the seeded object, then two creates)", rv)
	}
}
