package apoxyemulator_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/pager"
	watchtools "k8s.io/client-go/tools/watch"
)

func TestDynamicClientCRUD(t *testing.T) {
	ctx := context.Background()
	dyn := backendClient(fresh(t))

	created, err := dyn.Create(ctx, backend("web", map[string]any{"endpoints": []any{map[string]any{"fqdn": "web.example.com"}}, "protocol": "H2"}), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := unstructured.NestedString(created.Object, "spec", "protocol"); p != "h2" {
		t.Errorf("protocol stored as %q, want lowercased h2", p)
	}
	if created.GetUID() == "" || created.GetResourceVersion() == "" || created.GetCreationTimestamp().Time.IsZero() {
		t.Errorf("server-set metadata missing: %+v", created.Object["metadata"])
	}
	_, err = dyn.Create(ctx, backend("web", nil), metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		t.Fatalf("second create: %v, want AlreadyExists", err)
	}
	status := err.(apierrors.APIStatus).Status()
	if status.Details == nil || status.Details.Name != "web" || status.Details.Group != "core.apoxy.dev" || status.Details.Kind != "backends" {
		t.Errorf("AlreadyExists details %+v", status.Details)
	}

	got, err := dyn.Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedField(got.Object, "tls", "spec", "protocol"); err != nil {
		t.Fatal(err)
	}
	updated, err := dyn.Update(ctx, got, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The same stale object again: optimistic concurrency.
	if _, err := dyn.Update(ctx, got, metav1.UpdateOptions{}); !apierrors.IsConflict(err) {
		t.Fatalf("update with a stale resourceVersion: %v, want Conflict", err)
	}
	if updated.GetResourceVersion() == got.GetResourceVersion() {
		t.Error("update did not bump the resourceVersion")
	}

	uid := created.GetUID()
	if err := dyn.Delete(ctx, "web", metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}}); err != nil {
		t.Fatal(err)
	}
	_, err = dyn.Get(ctx, "web", metav1.GetOptions{})
	if !apierrors.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
	if msg := err.Error(); msg != `backends.core.apoxy.dev "web" not found` {
		t.Errorf("NotFound message %q", msg)
	}
}

func TestDynamicClientEveryPatchType(t *testing.T) {
	ctx := context.Background()
	dyn := backendClient(fresh(t))
	if _, err := dyn.Create(ctx, backend("patched", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		pt   types.PatchType
		body string
		path []string
		want string
	}{
		{types.JSONPatchType, `[{"op":"replace","path":"/spec/protocol","value":"tls"}]`, []string{"spec", "protocol"}, "tls"},
		{types.MergePatchType, `{"metadata":{"labels":{"tier":"edge"}}}`, []string{"metadata", "labels", "tier"}, "edge"},
		{types.StrategicMergePatchType, `{"spec":{"protocol":"h2c"}}`, []string{"spec", "protocol"}, "h2c"},
	}
	for _, s := range steps {
		out, err := dyn.Patch(ctx, "patched", s.pt, []byte(s.body), metav1.PatchOptions{})
		if err != nil {
			t.Fatalf("%s: %v", s.pt, err)
		}
		if v, _, _ := unstructured.NestedString(out.Object, s.path...); v != s.want {
			t.Errorf("%s: %s = %q, want %q", s.pt, strings.Join(s.path, "."), v, s.want)
		}
	}
	// A JSON patch that does not apply: 422, as upstream.
	if _, err := dyn.Patch(ctx, "patched", types.JSONPatchType, []byte(`[{"op":"remove","path":"/spec/nothing"}]`), metav1.PatchOptions{}); !apierrors.IsInvalid(err) {
		t.Errorf("a failing JSON patch: %v, want 422 Invalid", err)
	}
	applied, err := dyn.Patch(ctx, "patched", types.ApplyPatchType, []byte(`{"apiVersion":"core.apoxy.dev/v1alpha2","kind":"Backend","metadata":{"name":"patched"},"spec":{"protocol":"tls"}}`), metav1.PatchOptions{FieldManager: "applier"})
	if !apierrors.IsConflict(err) {
		t.Fatalf("applying protocol that the patches' manager owns: %v, want 409", err)
	}
	applied, err = dyn.Patch(ctx, "patched", types.ApplyPatchType, []byte(`{"apiVersion":"core.apoxy.dev/v1alpha2","kind":"Backend","metadata":{"name":"patched"},"spec":{"protocol":"tls"}}`), metav1.PatchOptions{FieldManager: "applier", Force: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := unstructured.NestedString(applied.Object, "spec", "protocol"); v != "tls" {
		t.Errorf("apply patch: protocol %q", v)
	}
	// Every write recorded a manager: the default one is client-go's binary name.
	managers := map[string]bool{}
	for _, m := range applied.GetManagedFields() {
		managers[m.Manager] = true
	}
	if !managers["applier"] || len(managers) < 2 {
		t.Errorf("managedFields managers %v", managers)
	}
}

func TestDynamicClientStatusSubresource(t *testing.T) {
	ctx := context.Background()
	dyn := backendClient(fresh(t))
	obj, err := dyn.Create(ctx, backend("status", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	conds := []any{map[string]any{"type": "Ready", "status": "True", "reason": "Reconciled", "message": "ok", "lastTransitionTime": "2026-01-01T00:00:00Z"}}
	if err := unstructured.SetNestedSlice(obj.Object, conds, "status", "conditions"); err != nil {
		t.Fatal(err)
	}
	// A spec change sent to /status is ignored, as the real server's status strategy does.
	_ = unstructured.SetNestedField(obj.Object, "tls", "spec", "protocol")
	out, err := dyn.UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := unstructured.NestedString(out.Object, "spec", "protocol"); p != "h2" {
		t.Errorf("status update changed spec.protocol to %q", p)
	}
	got, _ := dyn.Get(ctx, "status", metav1.GetOptions{})
	c, _, _ := unstructured.NestedSlice(got.Object, "status", "conditions")
	if len(c) != 1 || c[0].(map[string]any)["reason"] != "Reconciled" {
		t.Errorf("stored conditions %v", c)
	}
	// A status change sent to the main resource is ignored.
	_ = unstructured.SetNestedSlice(got.Object, []any{}, "status", "conditions")
	after, err := dyn.Update(ctx, got, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c, _, _ := unstructured.NestedSlice(after.Object, "status", "conditions"); len(c) != 1 {
		t.Errorf("an update of the main resource changed status: %v", c)
	}
}

func TestDynamicClientSelectorsAndPaging(t *testing.T) {
	ctx := context.Background()
	e := fresh(t)
	dyn := backendClient(e)
	for i := 0; i < 7; i++ {
		b := backend(fmt.Sprintf("b%d", i), nil)
		b.SetLabels(map[string]string{"tier": []string{"edge", "core"}[i%2]})
		if i < 2 {
			_ = unstructured.SetNestedField(b.Object, "tls", "spec", "protocol")
		}
		if _, err := dyn.Create(ctx, b, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(items []unstructured.Unstructured) []string {
		var out []string
		for _, i := range items {
			out = append(out, i.GetName())
		}
		return out
	}
	edge, err := dyn.List(ctx, metav1.ListOptions{LabelSelector: "tier=edge"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(edge.Items), ","); got != "b0,b2,b4,b6" {
		t.Errorf("tier=edge: %s", got)
	}
	set, _ := dyn.List(ctx, metav1.ListOptions{LabelSelector: "tier in (core),tier!=edge"})
	if got := strings.Join(names(set.Items), ","); got != "b1,b3,b5" {
		t.Errorf("set-based selector: %s", got)
	}
	tls, _ := dyn.List(ctx, metav1.ListOptions{FieldSelector: "spec.protocol=tls"})
	if got := strings.Join(names(tls.Items), ","); got != "b0,b1" {
		t.Errorf("spec.protocol=tls: %s", got)
	}
	if _, err := dyn.List(ctx, metav1.ListOptions{FieldSelector: "spec.endpoints=x"}); !apierrors.IsBadRequest(err) {
		t.Errorf("an unsupported field selector: %v, want 400", err)
	}

	// client-go's pager follows continue tokens, 3 at a time.
	pages := 0
	var all []string
	p := pager.New(func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		pages++
		return dyn.List(ctx, opts)
	})
	p.PageSize = 3
	err = p.EachListItem(ctx, metav1.ListOptions{}, func(o runtime.Object) error {
		m, _ := meta.Accessor(o)
		all = append(all, m.GetName())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 3 || strings.Join(all, ",") != "b0,b1,b2,b3,b4,b5,b6" {
		t.Errorf("paged: %d pages, %v", pages, all)
	}
	first, _ := dyn.List(ctx, metav1.ListOptions{Limit: 3})
	if first.GetContinue() == "" || first.GetRemainingItemCount() == nil || *first.GetRemainingItemCount() != 4 {
		t.Errorf("first page: continue %q remaining %v", first.GetContinue(), first.GetRemainingItemCount())
	}
}

func TestDynamicClientWatchResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dyn := backendClient(fresh(t))
	if _, err := dyn.Create(ctx, backend("before", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err := dyn.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := dyn.Watch(ctx, metav1.ListOptions{ResourceVersion: list.GetResourceVersion()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dyn.Create(ctx, backend("during", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := dyn.Patch(ctx, "during", types.MergePatchType, []byte(`{"spec":{"protocol":"tls"}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	var last string
	for len(seen) < 2 {
		ev := <-w.ResultChan()
		o := ev.Object.(*unstructured.Unstructured)
		seen = append(seen, string(ev.Type)+" "+o.GetName())
		last = o.GetResourceVersion()
	}
	w.Stop()
	if strings.Join(seen, ", ") != "ADDED during, MODIFIED during" {
		t.Fatalf("events from the list's resourceVersion: %v", seen)
	}
	// While nobody watches: a delete. Resuming from the last event sees only it.
	if err := dyn.Delete(ctx, "before", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	resumed, err := dyn.Watch(ctx, metav1.ListOptions{ResourceVersion: last})
	if err != nil {
		t.Fatal(err)
	}
	ev := <-resumed.ResultChan()
	resumed.Stop()
	if ev.Type != watch.Deleted || ev.Object.(*unstructured.Unstructured).GetName() != "before" {
		t.Fatalf("resumed watch: %s %v", ev.Type, ev.Object)
	}
}

// client-go's RetryWatcher re-opens a watch that ends and resumes from the last resourceVersion
// it saw: with the emulator cutting every watch after 2 events, all 6 events arrive, in order,
// none twice.
func TestRetryWatcherResumesAcrossCutWatches(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := fresh(t)
	dyn := backendClient(e)
	list, err := dyn.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetFaults(ctx, apoxyemulator.FaultConfig{Rules: []apoxyemulator.FaultRule{{
		ID: "cut", Match: &apoxyemulator.FaultMatch{Operations: []string{"watch"}}, Watch: &apoxyemulator.FaultWatch{CutAfterEvents: 2},
	}}}); err != nil {
		t.Fatal(err)
	}
	rw, err := watchtools.NewRetryWatcherWithContext(ctx, list.GetResourceVersion(), &cache.ListWatch{
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) { return dyn.Watch(ctx, o) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Stop()
	for i := 0; i < 6; i++ {
		if _, err := dyn.Create(ctx, backend(fmt.Sprintf("w%d", i), nil), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for len(got) < 6 {
		select {
		case ev := <-rw.ResultChan():
			got = append(got, ev.Object.(*unstructured.Unstructured).GetName())
		case <-ctx.Done():
			t.Fatalf("only %v arrived", got)
		}
	}
	if strings.Join(got, ",") != "w0,w1,w2,w3,w4,w5" {
		t.Errorf("events %v", got)
	}
	report, _ := e.Faults(ctx)
	if report.Rules[0].Fired < 3 {
		t.Errorf("the cut fired %d times; the test proves nothing unless watches were cut", report.Rules[0].Fired)
	}
}

func TestDynamicInformerFollowsChanges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := fresh(t)
	client := dynamic.NewForConfigOrDie(e.RESTConfig())
	dyn := client.Resource(backends)
	if _, err := dyn.Create(ctx, backend("existing", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	factory := dynamicinformer.NewDynamicSharedInformerFactory(client, 0)
	informer := factory.ForResource(backends)
	events := make(chan string, 16)
	_, _ = informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { events <- "add " + o.(*unstructured.Unstructured).GetName() },
		UpdateFunc: func(_, o any) { events <- "update " + o.(*unstructured.Unstructured).GetName() },
		DeleteFunc: func(o any) {
			if d, ok := o.(cache.DeletedFinalStateUnknown); ok {
				o = d.Obj
			}
			events <- "delete " + o.(*unstructured.Unstructured).GetName()
		},
	})
	factory.Start(ctx.Done())
	defer func() {
		cancel() // Shutdown waits for the informers, which stop when ctx ends
		factory.Shutdown()
	}()
	if !cache.WaitForCacheSync(ctx.Done(), informer.Informer().HasSynced) {
		t.Fatal("the informer never synced")
	}
	next := func() string {
		select {
		case ev := <-events:
			return ev
		case <-ctx.Done():
			return "timeout"
		}
	}
	if ev := next(); ev != "add existing" {
		t.Fatalf("first event %q", ev)
	}
	if _, err := dyn.Create(ctx, backend("new", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev != "add new" {
		t.Fatalf("after create: %q", ev)
	}
	if _, err := dyn.Patch(ctx, "new", types.MergePatchType, []byte(`{"metadata":{"labels":{"x":"y"}}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev != "update new" {
		t.Fatalf("after patch: %q", ev)
	}
	if err := dyn.Delete(ctx, "existing", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if ev := next(); ev != "delete existing" {
		t.Fatalf("after delete: %q", ev)
	}
	cached, err := informer.Lister().List(labelsEverything())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range cached {
		names = append(names, o.(*unstructured.Unstructured).GetName())
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "new" {
		t.Errorf("lister holds %v", names)
	}
	if l, _ := informer.Lister().Get("new"); l.(*unstructured.Unstructured).GetLabels()["x"] != "y" {
		t.Errorf("the cache holds a stale object")
	}
}

func TestServerSideApplyConflictsAndForce(t *testing.T) {
	ctx := context.Background()
	dyn := backendClient(fresh(t))
	mine := backend("shared", map[string]any{"endpoints": []any{map[string]any{"fqdn": "a.example.com"}}, "protocol": "h2"})
	if _, err := dyn.Apply(ctx, "shared", mine, metav1.ApplyOptions{FieldManager: "team-a"}); err != nil {
		t.Fatal(err)
	}
	theirs := backend("shared", map[string]any{"protocol": "tls"})
	_, err := dyn.Apply(ctx, "shared", theirs, metav1.ApplyOptions{FieldManager: "team-b"})
	if !apierrors.IsConflict(err) {
		t.Fatalf("apply of a field another manager owns: %v, want 409", err)
	}
	status := err.(apierrors.APIStatus).Status()
	if status.Message != `Apply failed with 1 conflict: conflict with "team-a": .spec.protocol` || len(status.Details.Causes) != 1 || status.Details.Causes[0].Type != metav1.CauseTypeFieldManagerConflict || status.Details.Causes[0].Field != ".spec.protocol" {
		t.Errorf("conflict Status %q %+v", status.Message, status.Details)
	}
	forced, err := dyn.Apply(ctx, "shared", theirs, metav1.ApplyOptions{FieldManager: "team-b", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := unstructured.NestedString(forced.Object, "spec", "protocol"); p != "tls" {
		t.Errorf("forced apply: protocol %q", p)
	}
	owners := map[string]string{}
	for _, m := range forced.GetManagedFields() {
		owners[m.Manager] = string(m.FieldsV1.Raw)
	}
	if !strings.Contains(owners["team-b"], `"f:protocol"`) || strings.Contains(owners["team-a"], `"f:protocol"`) || !strings.Contains(owners["team-a"], `"f:endpoints"`) {
		t.Errorf("ownership after Force: %v", owners)
	}
	// team-a re-applies without protocol: it gives up nothing it still owns, and keeps endpoints.
	mine2 := backend("shared", map[string]any{"endpoints": []any{map[string]any{"fqdn": "a.example.com"}}})
	after, err := dyn.Apply(ctx, "shared", mine2, metav1.ApplyOptions{FieldManager: "team-a"})
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := unstructured.NestedString(after.Object, "spec", "protocol"); p != "tls" {
		t.Errorf("team-b's protocol was lost: %q", p)
	}
}
