package apoxyemulator_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	apoxyemulator "github.com/apoxy-dev/apoxy-emulator/harness/go"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
)

func backend(name string, spec map[string]any) *unstructured.Unstructured {
	if spec == nil {
		spec = map[string]any{"endpoints": []any{map[string]any{"fqdn": name + ".example.com"}}, "protocol": "h2"}
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "core.apoxy.dev/v1alpha2",
		"kind":       "Backend",
		"metadata":   map[string]any{"name": name},
		"spec":       spec,
	}}
}

func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func TestStartServesTheAPIAndStopEndsTheProcess(t *testing.T) {
	e, err := apoxyemulator.StartServer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", e.URL())
	}
	dc, err := discovery.NewDiscoveryClientForConfig(e.RESTConfig())
	if err != nil {
		t.Fatal(err)
	}
	v, err := dc.ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if v.GitVersion != "v1.34.3" {
		t.Errorf("server version %q, want v1.34.3 (the release Apoxy's server is built on)", v.GitVersion)
	}
	resources, err := dc.ServerResourcesForGroupVersion("core.apoxy.dev/v1alpha2")
	if err != nil {
		t.Fatal(err)
	}
	if len(resources.APIResources) == 0 || resources.APIResources[0].Name != "backends" {
		t.Errorf("discovery: %+v", resources.APIResources)
	}
	pid := e.Pid()
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	if !gone(pid) {
		t.Errorf("process %d still runs after Stop", pid)
	}
	if _, err := http.Get(e.URL() + "/readyz"); err == nil {
		t.Error("the emulator still answers after Stop")
	}
	if err := e.Stop(); err != nil {
		t.Errorf("a second Stop: %v", err)
	}
}

func TestMissingCLISaysHowToInstallIt(t *testing.T) {
	t.Setenv(apoxyemulator.BinaryEnv, filepath.Join(t.TempDir(), "no-such-emulator"))
	_, err := apoxyemulator.StartServer(context.Background())
	if err == nil {
		t.Fatal("started without an emulator")
	}
	for _, want := range []string{"APOXY_EMULATOR_BIN", "npm ci && npm install --global ."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

// Any executable that takes the emulator's command line will do; a wrapper that forks (no exec)
// is stopped together with its child.
func TestAnyExecutableAsAPOXY_EMULATOR_BIN(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH")
	}
	root, _ := filepath.Abs("../..")
	wrapper := filepath.Join(t.TempDir(), "my-emulator")
	script := "#!/bin/sh\n" + node + " " + filepath.Join(root, "bin", "apoxy-emulator.js") + " \"$@\"\necho wrapper done\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(apoxyemulator.BinaryEnv, wrapper)
	e, err := apoxyemulator.StartServer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dyn := dynamic.NewForConfigOrDie(e.RESTConfig())
	if _, err := dyn.Resource(backends).Create(context.Background(), backend("via-wrapper", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(e.URL() + "/readyz"); err == nil {
		t.Error("the wrapper's emulator still answers after Stop")
	}
}

func TestAnEmulatorThatFailsToStartReportsItsOutput(t *testing.T) {
	_, err := apoxyemulator.StartServer(context.Background(), apoxyemulator.WithProfile("nonsense"))
	if err == nil {
		t.Fatal("started with a bad profile")
	}
	if !strings.Contains(err.Error(), "--profile must be apoxy or documented") {
		t.Errorf("error does not carry the emulator's message: %v", err)
	}
}

func TestOptionsReachTheEmulator(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e := apoxyemulator.Start(t,
		apoxyemulator.WithProfile("documented"),
		apoxyemulator.WithFixedClock(at),
		apoxyemulator.WithRandomSeed(7),
		apoxyemulator.WithSeedFiles("../../fixtures/valid/fqdn.yaml"),
		apoxyemulator.WithSeedYAML("apiVersion: core.apoxy.dev/v1alpha2\nkind: Backend\nmetadata: {name: seeded}\nspec: {endpoints: [{fqdn: a.example.com}], protocol: tls}\n"),
	)
	dyn := backendClient(e)

	list, err := dyn.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 2 {
		t.Fatalf("seeded %d objects, want 2 (a fixture file and a YAML text)", len(list.Items))
	}
	// documented: spec.protocol is required.
	_, err = dyn.Create(ctx, backend("no-protocol", map[string]any{"endpoints": []any{map[string]any{"fqdn": "x.example.com"}}}), metav1.CreateOptions{})
	if !apierrors.IsInvalid(err) {
		t.Fatalf("documented profile accepted a Backend without protocol: %v", err)
	}
	created, err := dyn.Create(ctx, backend("clocked", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := created.GetCreationTimestamp().UTC(); !got.Equal(at) {
		t.Errorf("creationTimestamp %s, want the fixed clock %s", got, at)
	}
	// Reset goes back to the start: the seeded objects (with their uids), not an empty store.
	if err := e.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := dyn.List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Items) != 2 || after.Items[0].GetUID() != list.Items[0].GetUID() {
		t.Errorf("after Reset: %d objects, want the 2 seeded ones", len(after.Items))
	}
	// The same random seed gives the same uids in another emulator.
	other := apoxyemulator.Start(t, apoxyemulator.WithRandomSeed(7))
	again, err := backendClient(other).Create(ctx, backend("clocked", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	third := apoxyemulator.Start(t, apoxyemulator.WithRandomSeed(7))
	third1, err := backendClient(third).Create(ctx, backend("clocked", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.GetUID() != third1.GetUID() {
		t.Errorf("uids differ under the same random seed: %s, %s", again.GetUID(), third1.GetUID())
	}
}

func TestDataFileKeepsObjectsAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "backends.json")
	e, err := apoxyemulator.StartServer(ctx, apoxyemulator.WithDataFile(data))
	if err != nil {
		t.Fatal(err)
	}
	created, err := backendClient(e).Create(ctx, backend("kept", nil), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	again := apoxyemulator.Start(t, apoxyemulator.WithDataFile(data))
	got, err := backendClient(again).Get(ctx, "kept", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetUID() != created.GetUID() {
		t.Errorf("uid %s after the restart, want %s", got.GetUID(), created.GetUID())
	}
}

func TestKubeconfigAndAPIKey(t *testing.T) {
	ctx := context.Background()
	// client-go reads a kubeconfig's token only for https servers: hence WithTLS.
	e := apoxyemulator.Start(t, apoxyemulator.WithAPIKey("s3cret"), apoxyemulator.WithTLS())
	if !strings.HasPrefix(e.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %q", e.URL())
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", e.Kubeconfig())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != e.URL() || cfg.BearerToken != "s3cret" {
		t.Errorf("kubeconfig: host %q token %q", cfg.Host, cfg.BearerToken)
	}
	dyn := dynamic.NewForConfigOrDie(cfg).Resource(backends)
	if _, err := dyn.Create(ctx, backend("with-key", nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Without the key: 401, as the emulator requires it.
	anonymous := e.RESTConfig()
	anonymous.BearerToken = ""
	_, err = dynamic.NewForConfigOrDie(anonymous).Resource(backends).List(ctx, metav1.ListOptions{})
	if !apierrors.IsUnauthorized(err) {
		t.Fatalf("a request without the key: %v, want 401", err)
	}
	// RESTConfig carries the key itself.
	if _, err := backendClient(e).Get(ctx, "with-key", metav1.GetOptions{}); err != nil {
		t.Fatal(err)
	}
	// The admin API sends the key too.
	if _, err := e.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
}
