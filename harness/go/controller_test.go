package apoxyemulator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	corev1alpha2 "github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/api/core/v1alpha2"
	"github.com/go-logr/logr"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

func init() {
	logf.SetLogger(logr.Discard()) // controller-runtime complains loudly when no logger is set
}

func apoxyScheme(t *testing.T) *runtime.Scheme {
	s := runtime.NewScheme()
	if err := corev1alpha2.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func typedBackend(name string, labels map[string]string) *corev1alpha2.Backend {
	return &corev1alpha2.Backend{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1alpha2.BackendSpec{Endpoints: []corev1alpha2.BackendEndpoint{{FQDN: name + ".example.com"}}, Protocol: "h2"},
	}
}

// A controller-runtime client with a scheme holding the Backend types: discovery finds the
// resource through /apis (the emulator answers /api with 404, as an aggregated server does).
func TestControllerRuntimeClient(t *testing.T) {
	ctx := context.Background()
	c, err := client.New(fresh(t).RESTConfig(), client.Options{Scheme: apoxyScheme(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, typedBackend("cr-a", map[string]string{"team": "a"})); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, typedBackend("cr-b", map[string]string{"team": "b"})); err != nil {
		t.Fatal(err)
	}
	var list corev1alpha2.BackendList
	if err := c.List(ctx, &list, client.MatchingLabels{"team": "a"}); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Name != "cr-a" {
		t.Fatalf("list team=a: %+v", list.Items)
	}
	var b corev1alpha2.Backend
	if err := c.Get(ctx, client.ObjectKey{Name: "cr-a"}, &b); err != nil {
		t.Fatal(err)
	}
	before := b.DeepCopy()
	b.Spec.Protocol = "tls"
	if err := c.Patch(ctx, &b, client.MergeFrom(before)); err != nil {
		t.Fatal(err)
	}
	if b.Spec.Protocol != "tls" {
		t.Errorf("after MergeFrom patch: %q", b.Spec.Protocol)
	}
	meta.SetStatusCondition(&b.Status.Conditions, metav1.Condition{Type: "Ready", Status: metav1.ConditionFalse, Reason: "Pending", Message: "waiting"})
	if err := c.Status().Update(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if err := c.Get(ctx, client.ObjectKey{Name: "cr-a"}, &b); !apierrors.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
	if err := c.DeleteAllOf(ctx, &corev1alpha2.Backend{}); err != nil {
		t.Fatal(err)
	}
}

// readyReconciler does what an Apoxy controller does to every Backend: reports Ready through the
// status subresource.
type readyReconciler struct{ client.Client }

func (r readyReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var b corev1alpha2.Backend
	if err := r.Get(ctx, req.NamespacedName, &b); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	changed := meta.SetStatusCondition(&b.Status.Conditions, metav1.Condition{
		Type: "Ready", Status: metav1.ConditionTrue, Reason: "Reconciled",
		Message: fmt.Sprintf("%d endpoint(s), protocol %q", len(b.Spec.Endpoints), b.Spec.Protocol),
	})
	if !changed {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{}, r.Status().Update(ctx, &b)
}

func TestControllerRuntimeManagerSetsReady(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := fresh(t)
	scheme := apoxyScheme(t)
	mgr, err := ctrl.NewManager(e.RESTConfig(), ctrl.Options{
		Scheme:                 scheme,
		LeaderElection:         false,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctrl.NewControllerManagedBy(mgr).For(&corev1alpha2.Backend{}).Complete(readyReconciler{mgr.GetClient()}); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- mgr.Start(ctx) }()
	defer func() {
		cancel()
		if err := <-stopped; err != nil {
			t.Errorf("manager: %v", err)
		}
	}()

	// A second client, not the manager's cache, creates the Backends and observes the result.
	observer, err := client.New(e.RESTConfig(), client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"ready-1", "ready-2", "ready-3"}
	for _, n := range names {
		if err := observer.Create(ctx, typedBackend(n, nil)); err != nil {
			t.Fatal(err)
		}
	}
	readyAll := func(want string) error {
		return wait.PollUntilContextCancel(ctx, 50*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			for _, n := range names {
				var b corev1alpha2.Backend
				if err := observer.Get(ctx, client.ObjectKey{Name: n}, &b); err != nil {
					return false, err
				}
				c := meta.FindStatusCondition(b.Status.Conditions, "Ready")
				if c == nil || c.Status != metav1.ConditionTrue || c.Message != want {
					return false, nil
				}
			}
			return true, nil
		})
	}
	if err := readyAll(`1 endpoint(s), protocol "h2"`); err != nil {
		t.Fatalf("not every Backend became Ready: %v", err)
	}
	// A spec change reaches the reconciler through the informer, and the condition follows it.
	for _, n := range names {
		if err := observer.Patch(ctx, &corev1alpha2.Backend{ObjectMeta: metav1.ObjectMeta{Name: n}}, client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"protocol":"tls"}}`))); err != nil {
			t.Fatal(err)
		}
	}
	if err := readyAll(`1 endpoint(s), protocol "tls"`); err != nil {
		t.Fatalf("the reconciler did not follow the spec change: %v", err)
	}
	// Every write of the reconciler went through /status.
	puts, err := e.Requests(ctx, apoxyemulator.RequestFilter{Method: "PUT"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range puts {
		if !strings.HasSuffix(r.Path, "/status") {
			t.Errorf("a PUT outside /status: %s", r.Path)
		}
	}
	if len(puts) < 6 {
		t.Errorf("%d status writes, want at least 6 (3 Backends, 2 rounds)", len(puts))
	}
}
