package apoxyemulator

import (
	"io"
	"time"
)

// Option configures Start and StartServer.
type Option func(*config)

type config struct {
	binary        string
	dataFile      string
	profile       string
	seedPaths     []string
	seedYAML      []string
	fixedClock    *time.Time
	randomSeed    *int64
	restartRV     bool
	faults        *FaultConfig
	simulateReady time.Duration
	apiKey        string
	tls           bool
	extraArgs     []string
	startTimeout  time.Duration
	output        io.Writer
}

func defaultConfig() config {
	return config{startTimeout: 30 * time.Second}
}

// WithBinary runs this executable instead of looking for one ($APOXY_EMULATOR_BIN, PATH, the
// repository's bin/). It is given the emulator's command line: serve --port 0 ...
func WithBinary(path string) Option { return func(c *config) { c.binary = path } }

// WithDataFile keeps the data in this JSON file (created when missing) instead of in memory.
func WithDataFile(path string) Option { return func(c *config) { c.dataFile = path } }

// WithProfile picks "apoxy" (the default: behave like the real Apoxy server) or "documented"
// (also enforce what the published API reference promises).
func WithProfile(profile string) Option { return func(c *config) { c.profile = profile } }

// WithSeedFiles loads manifest files or folders (YAML/JSON, multi-document) at start.
func WithSeedFiles(paths ...string) Option {
	return func(c *config) { c.seedPaths = append(c.seedPaths, paths...) }
}

// WithSeedYAML loads manifests given as text (YAML or JSON, multi-document) at start.
func WithSeedYAML(manifests string) Option {
	return func(c *config) { c.seedYAML = append(c.seedYAML, manifests) }
}

// WithFixedClock freezes the emulator's clock at t (creationTimestamp, condition times, the
// request log); AdvanceClock moves it, Reset puts it back to t.
func WithFixedClock(t time.Time) Option { return func(c *config) { c.fixedClock = &t } }

// WithRandomSeed makes uids, generateName suffixes and probabilistic fault rules reproducible.
func WithRandomSeed(seed int64) Option { return func(c *config) { c.randomSeed = &seed } }

// WithResourceVersionRestart makes Reset start the resourceVersion again from 0, so that a test
// sees the same resourceVersions whatever ran before it (with WithRandomSeed and WithFixedClock,
// whole responses are the same). Only for an emulator in memory, and only where no watch spans a
// Reset: an informer resumes from the last resourceVersion it saw, which after a restart names a
// different point of history. Open watches end at the Reset.
func WithResourceVersionRestart() Option { return func(c *config) { c.restartRV = true } }

// WithFaults arms fault rules from the start; Reset re-arms them (counters back to zero).
func WithFaults(faults FaultConfig) Option { return func(c *config) { c.faults = &faults } }

// WithSimulateReady makes the emulator set a Ready condition on each Backend this long after it
// is created or its spec changes, as Apoxy's controllers do.
func WithSimulateReady(d time.Duration) Option { return func(c *config) { c.simulateReady = d } }

// WithAPIKey makes the emulator require this key; RESTConfig and the admin calls send it.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithTLS serves HTTPS with a self-signed certificate (RESTConfig and Kubeconfig skip
// verification). client-go reads a kubeconfig's credentials only for https servers, so a test
// that gives Kubeconfig() to a client together with WithAPIKey needs WithTLS too.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithArgs appends command-line arguments to serve (for flags this package has no option for).
func WithArgs(args ...string) Option {
	return func(c *config) { c.extraArgs = append(c.extraArgs, args...) }
}

// WithStartTimeout bounds how long Start waits for the emulator to answer (default 30s).
func WithStartTimeout(d time.Duration) Option { return func(c *config) { c.startTimeout = d } }

// WithOutput copies the emulator's stdout and stderr to w (Start logs them with t.Log on
// failure either way).
func WithOutput(w io.Writer) Option { return func(c *config) { c.output = w } }
