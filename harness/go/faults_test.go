package apoxyemulator_test

import (
	"context"
	"testing"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// client-go's own backoff: a 429 with Retry-After is retried by the REST client (up to 10
// times), so the caller sees one successful create and the emulator saw three.
func TestClientGoRetriesTooManyRequests(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	if _, err := e.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{
		ID:    "throttle-creates",
		Match: &apoxyemulator.FaultMatch{Operations: []string{"create"}},
		Times: 2,
		Error: &apoxyemulator.FaultError{Code: 429, RetryAfterSeconds: 1},
	}}}); err != nil {
		t.Fatal(err)
	}
	created, err := backendClient(e).Create(ctx, backend("throttled", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create through two 429s: %v", err)
	}
	if created.GetName() != "throttled" {
		t.Errorf("created %q", created.GetName())
	}
	posts, err := e.Requests(ctx, apoxyemulator.RequestFilter{Method: "POST"})
	if err != nil {
		t.Fatal(err)
	}
	var statuses []int
	for _, r := range posts {
		statuses = append(statuses, r.Status)
	}
	if len(statuses) != 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 201 {
		t.Errorf("the emulator saw %v, want [429 429 201]", statuses)
	}
	if len(posts) == 3 && (len(posts[0].Faults) != 1 || posts[0].Faults[0] != "throttle-creates") {
		t.Errorf("the request log does not name the rule: %+v", posts[0])
	}
	report, _ := e.Faults(ctx)
	if report.Rules[0].Fired != 2 {
		t.Errorf("fired %d, want 2", report.Rules[0].Fired)
	}
}
