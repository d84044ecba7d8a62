package apoxyemulator_test

import (
	"context"
	"testing"
	"time"

	corev1alpha2 "github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/api/core/v1alpha2"
	"github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/client/versioned"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
)

// A typed clientset shaped like Apoxy's generated one (CoreV1alpha2().Backends()), on client-go's
// gentype as client-gen makes it, decoding into Go structs with Apoxy's JSON names.
func TestTypedClientset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := versioned.NewForConfig(fresh(t).RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	api := cs.CoreV1alpha2().Backends()

	w, err := api.Watch(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	maxHosts := uint32(2048)
	created, err := api.Create(ctx, &corev1alpha2.Backend{
		ObjectMeta: metav1.ObjectMeta{Name: "typed", Labels: map[string]string{"tier": "edge"}},
		Spec: corev1alpha2.BackendSpec{
			Endpoints:    []corev1alpha2.BackendEndpoint{{FQDN: "typed.example.com"}},
			Protocol:     "H2C",
			DynamicProxy: &corev1alpha2.DynamicProxySpec{DnsCacheConfig: &corev1alpha2.DynamicProxyDnsCacheConfig{DNSRefreshRate: &metav1.Duration{Duration: 90 * time.Second}, MaxHosts: &maxHosts}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The emulator's apoxy profile lowercases the protocol and re-serializes Durations as Go does.
	if created.Spec.Protocol != "h2c" || created.Spec.DynamicProxy.DnsCacheConfig.DNSRefreshRate.Duration != 90*time.Second || *created.Spec.DynamicProxy.DnsCacheConfig.MaxHosts != 2048 {
		t.Errorf("created spec %+v", created.Spec)
	}
	if created.Kind != "" && created.Kind != "Backend" {
		t.Errorf("kind %q", created.Kind)
	}

	got, err := api.Get(ctx, "typed", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got.Spec.Endpoints = []corev1alpha2.BackendEndpoint{{IP: "10.0.0.9"}}
	updated, err := api.Update(ctx, got, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(updated.Spec.Endpoints) != 1 || updated.Spec.Endpoints[0].IP != "10.0.0.9" || updated.Spec.Endpoints[0].FQDN != "" {
		t.Errorf("updated endpoints %+v", updated.Spec.Endpoints)
	}

	updated.Status.Conditions = []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue, Reason: "Reconciled", Message: "typed", LastTransitionTime: metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}}
	withStatus, err := api.UpdateStatus(ctx, updated, metav1.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(withStatus.Status.Conditions) != 1 || withStatus.Status.Conditions[0].Reason != "Reconciled" {
		t.Errorf("status %+v", withStatus.Status)
	}

	patched, err := api.Patch(ctx, "typed", types.MergePatchType, []byte(`{"spec":{"protocol":"tls"}}`), metav1.PatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if patched.Spec.Protocol != "tls" || len(patched.Status.Conditions) != 1 {
		t.Errorf("patched %+v", patched)
	}
	statusPatched, err := api.Patch(ctx, "typed", types.JSONPatchType, []byte(`[{"op":"replace","path":"/status/conditions/0/reason","value":"Patched"}]`), metav1.PatchOptions{}, "status")
	if err != nil {
		t.Fatal(err)
	}
	if statusPatched.Status.Conditions[0].Reason != "Patched" {
		t.Errorf("status patch: %+v", statusPatched.Status)
	}

	list, err := api.List(ctx, metav1.ListOptions{LabelSelector: "tier=edge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Name != "typed" || list.ResourceVersion == "" {
		t.Errorf("list %+v", list)
	}

	if err := api.Delete(ctx, "typed", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// Apoxy's validation rules come back as a typed Invalid error.
	_, err = api.Create(ctx, &corev1alpha2.Backend{ObjectMeta: metav1.ObjectMeta{Name: "two"}, Spec: corev1alpha2.BackendSpec{
		Endpoints:    []corev1alpha2.BackendEndpoint{{FQDN: "a.example.com"}, {FQDN: "b.example.com"}},
		DynamicProxy: &corev1alpha2.DynamicProxySpec{},
	}}, metav1.CreateOptions{})
	if !apierrors.IsInvalid(err) {
		t.Errorf("a dynamic proxy with two endpoints: %v, want 422", err)
	}
	if _, err := api.Get(ctx, "typed", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}

	// The watch, opened first, saw every step as typed objects.
	want := []watch.EventType{watch.Added, watch.Modified, watch.Modified, watch.Modified, watch.Modified, watch.Deleted}
	for i, typ := range want {
		select {
		case ev := <-w.ResultChan():
			b, ok := ev.Object.(*corev1alpha2.Backend)
			if ev.Type != typ || !ok || b.Name != "typed" {
				t.Fatalf("event %d: %s %T, want %s *Backend", i, ev.Type, ev.Object, typ)
			}
		case <-ctx.Done():
			t.Fatalf("event %d (%s) never came", i, typ)
		}
	}
}

// CoreV1alpha().Backends(): the older version, served from the same store. What one version
// writes the other reads, with the same uid, and each answers in its own apiVersion.
func TestTypedClientsetV1alpha(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := versioned.NewForConfig(fresh(t).RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	old, current := cs.CoreV1alpha().Backends(), cs.CoreV1alpha2().Backends()

	w, err := old.Watch(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	created, err := old.Create(ctx, &corev1alpha2.Backend{
		ObjectMeta: metav1.ObjectMeta{Name: "legacy", Labels: map[string]string{"tier": "edge"}},
		Spec:       corev1alpha2.BackendSpec{Endpoints: []corev1alpha2.BackendEndpoint{{FQDN: "legacy.example.com"}}, Protocol: "TLS"},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if created.Spec.Protocol != "tls" || created.APIVersion != "" && created.APIVersion != "core.apoxy.dev/v1alpha" {
		t.Errorf("created through v1alpha: %+v %s", created.Spec, created.APIVersion)
	}

	// The same object through v1alpha2.
	same, err := current.Get(ctx, "legacy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if same.UID != created.UID || same.ResourceVersion != created.ResourceVersion {
		t.Errorf("v1alpha2 reads uid %s rv %s, v1alpha wrote %s %s", same.UID, same.ResourceVersion, created.UID, created.ResourceVersion)
	}

	// A change through v1alpha2 is seen through v1alpha: Get, and the v1alpha watch.
	if _, err := current.Patch(ctx, "legacy", types.MergePatchType, []byte(`{"spec":{"protocol":"h2"}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := old.Get(ctx, "legacy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.Protocol != "h2" {
		t.Errorf("v1alpha reads protocol %q after the v1alpha2 patch", got.Spec.Protocol)
	}
	got.Status.Conditions = []metav1.Condition{{Type: "Ready", Status: metav1.ConditionTrue, Reason: "Reconciled", Message: "v1alpha", LastTransitionTime: metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}}
	if _, err := old.UpdateStatus(ctx, got, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err := old.List(ctx, metav1.ListOptions{LabelSelector: "tier=edge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || len(list.Items[0].Status.Conditions) != 1 {
		t.Fatalf("v1alpha list %+v", list.Items)
	}
	// v1alpha registers no spec.protocol field selector, as on the real server.
	if _, err := old.List(ctx, metav1.ListOptions{FieldSelector: "spec.protocol=h2"}); !apierrors.IsBadRequest(err) {
		t.Errorf("spec.protocol field selector through v1alpha: %v, want 400", err)
	}
	if err := old.Delete(ctx, "legacy", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := current.Get(ctx, "legacy", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("v1alpha2 get after the v1alpha delete: %v", err)
	}

	for i, want := range []watch.EventType{watch.Added, watch.Modified, watch.Modified, watch.Deleted} {
		select {
		case ev := <-w.ResultChan():
			b, ok := ev.Object.(*corev1alpha2.Backend)
			if ev.Type != want || !ok || b.Name != "legacy" {
				t.Fatalf("v1alpha watch event %d: %s %T, want %s", i, ev.Type, ev.Object, want)
			}
		case <-ctx.Done():
			t.Fatalf("v1alpha watch event %d (%s) never came", i, want)
		}
	}
}
