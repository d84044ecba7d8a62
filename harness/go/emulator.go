package apoxyemulator

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Emulator is a running apoxy-emulator process.
type Emulator struct {
	url    string
	cfg    config
	cmd    *exec.Cmd
	tmpDir string
	http   *http.Client
	output lockedBuffer
	// The objects it started with (seeds, a data file), for Reset.
	startState Snapshot
	exited     chan struct{}
	waitEr     error
	// Closed when nothing holds the output pipe any more (all output read).
	drained chan struct{}

	kubeconfigOnce sync.Once
	kubeconfigPath string
	kubeconfigErr  error
	stopOnce       sync.Once
	stopErr        error
}

// The first line the CLI prints: "apoxy-emulator listening on http://127.0.0.1:40123 (...)".
var listeningLine = regexp.MustCompile(`listening on (\S+)`)

// Start starts an emulator for the test (or benchmark) and stops it in t.Cleanup. It fails the
// test, with the emulator's output, when the emulator cannot be found or does not start.
func Start(t testing.TB, opts ...Option) *Emulator {
	t.Helper()
	e, err := StartServer(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("apoxy-emulator output:\n%s", e.Output())
		}
		if err := e.Stop(); err != nil {
			t.Errorf("stopping the emulator: %v", err)
		}
	})
	return e
}

// StartServer starts an emulator and returns once it answers; Stop ends it. For TestMain and for
// programs that are not tests. ctx bounds the start only.
func StartServer(ctx context.Context, opts ...Option) (*Emulator, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	argv, err := command(cfg.binary)
	if err != nil {
		return nil, err
	}
	tmpDir, err := os.MkdirTemp("", "apoxy-emulator-")
	if err != nil {
		return nil, err
	}
	args, err := serveArgs(cfg, tmpDir)
	if err != nil {
		os.RemoveAll(tmpDir)
		return nil, err
	}
	e := &Emulator{cfg: cfg, tmpDir: tmpDir, exited: make(chan struct{})}
	e.cmd = exec.Command(argv[0], append(argv[1:], args...)...)
	e.cmd.Env = os.Environ()
	if cfg.apiKey != "" {
		// Through the environment, so that the key is not in the process list.
		e.cmd.Env = append(e.cmd.Env, "APOXY_EMULATOR_API_KEY="+cfg.apiKey)
	}
	ownProcessGroup(e.cmd)
	// One pipe of our own for stdout and stderr, handed to the process as a file: Wait then
	// returns when the emulator exits, even if a child of a wrapper script still holds the pipe.
	pr, pw, err := os.Pipe()
	if err != nil {
		os.RemoveAll(tmpDir)
		return nil, err
	}
	e.cmd.Stdout, e.cmd.Stderr = pw, pw
	err = e.cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		os.RemoveAll(tmpDir)
		return nil, fmt.Errorf("apoxy-emulator: starting %s: %w", argv[0], err)
	}
	var sink io.Writer = &e.output
	if cfg.output != nil {
		sink = io.MultiWriter(&e.output, cfg.output)
	}

	urls := make(chan string, 1)
	e.drained = make(chan struct{})
	go func() {
		defer close(e.drained)
		defer pr.Close()
		scanner := bufio.NewScanner(pr)
		for scanner.Scan() {
			line := scanner.Text()
			fmt.Fprintln(sink, line)
			if m := listeningLine.FindStringSubmatch(line); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr) // a line longer than the scanner's buffer: keep the pipe flowing
	}()
	go func() {
		e.waitEr = e.cmd.Wait()
		close(e.exited)
	}()

	startCtx, cancel := context.WithTimeout(ctx, cfg.startTimeout)
	defer cancel()
	fail := func(why string) (*Emulator, error) {
		_ = e.Stop()
		return nil, fmt.Errorf("apoxy-emulator: %s (command: %s %s)\n%s", why, argv[0], strings.Join(append(argv[1:], args...), " "), e.Output())
	}
	select {
	case e.url = <-urls:
	case <-e.exited:
		return fail(fmt.Sprintf("exited before listening: %v", e.waitEr))
	case <-startCtx.Done():
		return fail(fmt.Sprintf("did not print its URL within %s", cfg.startTimeout))
	}
	e.http = &http.Client{Transport: e.transport()}
	if err := e.waitReady(startCtx); err != nil {
		return fail(err.Error())
	}
	if e.startState, err = e.Snapshot(startCtx); err != nil {
		return fail(err.Error())
	}
	return e, nil
}

func serveArgs(cfg config, tmpDir string) ([]string, error) {
	args := []string{"serve", "--port", "0", "--host", "127.0.0.1"}
	if cfg.dataFile != "" {
		args = append(args, "--data", cfg.dataFile)
	} else {
		args = append(args, "--in-memory")
	}
	if cfg.profile != "" {
		args = append(args, "--profile", cfg.profile)
	}
	for _, p := range cfg.seedPaths {
		args = append(args, "--seed", p)
	}
	for i, text := range cfg.seedYAML {
		p := filepath.Join(tmpDir, fmt.Sprintf("seed-%d.yaml", i))
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			return nil, err
		}
		args = append(args, "--seed", p)
	}
	if cfg.fixedClock != nil {
		args = append(args, "--clock", "fixed:"+cfg.fixedClock.UTC().Format(time.RFC3339Nano))
	}
	if cfg.randomSeed != nil {
		args = append(args, "--random-seed", strconv.FormatInt(*cfg.randomSeed, 10))
	}
	if cfg.faults != nil {
		raw, err := json.Marshal(cfg.faults)
		if err != nil {
			return nil, fmt.Errorf("apoxy-emulator: WithFaults: %w", err)
		}
		p := filepath.Join(tmpDir, "faults.json")
		if err := os.WriteFile(p, raw, 0o600); err != nil {
			return nil, err
		}
		args = append(args, "--faults", p)
	}
	if cfg.tls {
		args = append(args, "--tls")
	}
	if cfg.simulateReady > 0 {
		args = append(args, "--simulate-ready", cfg.simulateReady.String())
	}
	return append(args, cfg.extraArgs...), nil
}

func (e *Emulator) transport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if strings.HasPrefix(e.url, "https:") {
		// The emulator's --tls certificate is self-signed.
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // local emulator
	}
	return t
}

// waitReady polls /readyz until the emulator answers 200.
func (e *Emulator) waitReady(ctx context.Context) error {
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/readyz", nil)
		res, err := e.http.Do(req)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-e.exited:
			return fmt.Errorf("exited before it answered: %v", e.waitEr)
		case <-ctx.Done():
			return fmt.Errorf("did not answer /readyz in time (last: %v)", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// URL is the emulator's base URL, e.g. http://127.0.0.1:40123.
func (e *Emulator) URL() string { return e.url }

// Pid is the emulator process's id.
func (e *Emulator) Pid() int { return e.cmd.Process.Pid }

// Output is what the emulator printed so far (stdout and stderr).
func (e *Emulator) Output() string { return e.output.String() }

// RESTConfig is a client-go configuration for the emulator: for the dynamic client,
// controller-runtime, or a generated clientset (NewForConfig). Each call returns a new copy.
// Client-side throttling is off (QPS -1): the emulator is local, and throttling is what fault
// rules are for.
func (e *Emulator) RESTConfig() *rest.Config {
	cfg := &rest.Config{Host: e.url, QPS: -1, UserAgent: rest.DefaultKubernetesUserAgent()}
	if strings.HasPrefix(e.url, "https:") {
		cfg.TLSClientConfig.Insecure = true
	}
	if e.cfg.apiKey != "" {
		cfg.BearerToken = e.cfg.apiKey
	}
	return cfg
}

// Kubeconfig writes a kubeconfig for the emulator (kubectl, clientcmd) and returns its path. The
// file is removed when the emulator stops.
func (e *Emulator) Kubeconfig() string {
	e.kubeconfigOnce.Do(func() {
		const name = "apoxy-emulator"
		kc := clientcmdapi.NewConfig()
		kc.Clusters[name] = &clientcmdapi.Cluster{Server: e.url, InsecureSkipTLSVerify: strings.HasPrefix(e.url, "https:")}
		// A user with a token always: kubectl asks for a username on https servers otherwise.
		token := e.cfg.apiKey
		if token == "" {
			token = name
		}
		kc.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: token}
		kc.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
		kc.CurrentContext = name
		e.kubeconfigPath = filepath.Join(e.tmpDir, "kubeconfig.yaml")
		e.kubeconfigErr = clientcmd.WriteToFile(*kc, e.kubeconfigPath)
	})
	if e.kubeconfigErr != nil {
		panic(fmt.Sprintf("apoxy-emulator: writing the kubeconfig: %v", e.kubeconfigErr))
	}
	return e.kubeconfigPath
}

// Stop ends the emulator (SIGTERM to its process group, SIGKILL after 10s) and removes its
// temporary files. It reports an emulator that had exited with an error on its own.
func (e *Emulator) Stop() error {
	e.stopOnce.Do(func() {
		defer os.RemoveAll(e.tmpDir)
		defer func() {
			// The last lines, for the messages above and Output(); not forever if a child holds the pipe.
			select {
			case <-e.drained:
			case <-time.After(time.Second):
			}
		}()
		select {
		case <-e.exited:
			if e.waitEr != nil {
				e.stopErr = fmt.Errorf("apoxy-emulator had exited: %v\n%s", e.waitEr, e.Output())
			}
			return
		default:
		}
		terminate(e.cmd)
		select {
		case <-e.exited:
			var exit *exec.ExitError
			if e.waitEr != nil && !(errors.As(e.waitEr, &exit) && !exit.Exited()) {
				e.stopErr = fmt.Errorf("apoxy-emulator exited with %v on SIGTERM\n%s", e.waitEr, e.Output())
			}
		case <-time.After(10 * time.Second):
			kill(e.cmd)
			select {
			case <-e.exited:
				e.stopErr = fmt.Errorf("apoxy-emulator did not stop within 10s of SIGTERM; killed\n%s", e.Output())
			case <-time.After(5 * time.Second):
				e.stopErr = fmt.Errorf("apoxy-emulator (pid %d) did not exit even after SIGKILL\n%s", e.cmd.Process.Pid, e.Output())
			}
		}
	})
	return e.stopErr
}

// lockedBuffer collects the process output from two goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
