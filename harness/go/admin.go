package apoxyemulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The admin API (/_emulator/), typed. A rejection is returned as an *apierrors.StatusError
// carrying the Status the emulator sent, so apierrors.IsBadRequest(err) and friends work.

// FaultConfig is a set of fault rules (see the README's "Fault rules").
type FaultConfig struct {
	// Seed of the rules' PRNGs: an integer or a string; the --random-seed (or 0) when nil.
	Seed  any         `json:"seed,omitempty"`
	Rules []FaultRule `json:"rules"`
}

// FaultRule makes matching requests fail, wait, or have their watch cut.
type FaultRule struct {
	ID          string        `json:"id,omitempty"`
	Match       *FaultMatch   `json:"match,omitempty"`
	Probability *float64      `json:"probability,omitempty"`
	EveryNth    int           `json:"everyNth,omitempty"`
	Times       int           `json:"times,omitempty"`
	Error       *FaultError   `json:"error,omitempty"`
	Latency     *FaultLatency `json:"latency,omitempty"`
	Watch       *FaultWatch   `json:"watch,omitempty"`
}

// FaultMatch selects requests; every field is optional.
type FaultMatch struct {
	// Operations: verbs (create get list watch update patch delete deletecollection) or operationIds.
	Operations    StringList `json:"operation,omitempty"`
	Name          string     `json:"name,omitempty"`
	LabelSelector string     `json:"labelSelector,omitempty"`
}

// StringList is a list of strings that also reads a single string (as the emulator accepts).
type StringList []string

// UnmarshalJSON reads "create" as well as ["create", "patch"].
func (l *StringList) UnmarshalJSON(raw []byte) error {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		*l = StringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

// FaultError is the Status answered: 409, 429, 500, 503 or 504.
type FaultError struct {
	Code              int    `json:"code"`
	Message           string `json:"message,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"`
}

// FaultLatency delays a request by Fixed plus a seeded 0..Jitter (Go durations: "200ms").
type FaultLatency struct {
	Fixed  string `json:"fixed,omitempty"`
	Jitter string `json:"jitter,omitempty"`
}

// FaultWatch ends watches abruptly after CutAfterEvents events.
type FaultWatch struct {
	CutAfterEvents int `json:"cutAfterEvents"`
}

// FaultReport is the rules in force with their counters.
type FaultReport struct {
	Seed  any               `json:"seed"`
	Rules []FaultRuleReport `json:"rules"`
}

// FaultRuleReport is one rule with how many requests it matched and fired on.
type FaultRuleReport struct {
	FaultRule
	Matched int `json:"matched"`
	Fired   int `json:"fired"`
}

// RequestRecord is one request the emulator served.
type RequestRecord struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Query parameters as parsed: a string, or a list of strings when repeated.
	Query      map[string]any `json:"query"`
	Status     int            `json:"status"`
	DurationMs float64        `json:"durationMs"`
	// When the request arrived, by the emulator's clock.
	Time time.Time `json:"time"`
	// Ids of the fault rules that fired on it.
	Faults []string `json:"faults,omitempty"`
}

// RequestFilter narrows Requests; zero values do not filter.
type RequestFilter struct {
	Method string
	// PathPrefix keeps requests whose path starts with it.
	PathPrefix string
	// Status is a code ("404") or a class ("4xx").
	Status string
	// Limit keeps the last N.
	Limit int
	// IncludeAdmin keeps the admin API's own requests too.
	IncludeAdmin bool
}

// ClockState is the emulator's clock.
type ClockState struct {
	Now   time.Time `json:"now"`
	Fixed bool      `json:"fixed"`
}

// Snapshot is the emulator's whole state: objects by resource (plural) and name.
type Snapshot struct {
	ResourceVersion int64                                            `json:"resourceVersion"`
	Resources       map[string]map[string]*unstructured.Unstructured `json:"resources"`
}

func (s Snapshot) count() int {
	n := 0
	for _, objects := range s.Resources {
		n += len(objects)
	}
	return n
}

// SeedReport says what a Seed did with each object.
type SeedReport struct {
	Created         int          `json:"created"`
	Updated         int          `json:"updated"`
	Unchanged       int          `json:"unchanged"`
	Failed          int          `json:"failed"`
	Results         []SeedResult `json:"results"`
	ResourceVersion string       `json:"resourceVersion"`
}

// SeedResult is the outcome for one object: created, updated, unchanged or failed (with Status).
type SeedResult struct {
	Name    string         `json:"name"`
	Kind    string         `json:"kind"`
	Outcome string         `json:"outcome"`
	Status  *metav1.Status `json:"status,omitempty"`
}

// Reset puts the emulator back to how it started: the objects it started with (seeds, a data
// file; none otherwise), an empty request log, the fault rules given at start re-armed (none
// otherwise), the random source re-seeded (WithRandomSeed) and a fixed clock back at its start.
// resourceVersions keep increasing unless WithResourceVersionRestart. Use it before each test
// when tests share one emulator. The Node helper (apoxy-emulator/testing) and the Python
// harness reset the same way.
func (e *Emulator) Reset(ctx context.Context) error {
	// POST /_emulator/reset empties the store and the request log, re-seeds the random source
	// and puts a fixed clock back; the start's objects and fault rules are the harness's to restore.
	reset := "/reset"
	if e.cfg.restartRV {
		reset += "?restartResourceVersion=true"
	}
	if err := e.admin(ctx, http.MethodPost, reset, nil, "", nil); err != nil {
		return err
	}
	if e.startState.count() > 0 {
		if err := e.Restore(ctx, e.startState); err != nil {
			return err
		}
		if err := e.ClearRequests(ctx); err != nil {
			return err
		}
	}
	if e.cfg.faults != nil {
		if _, err := e.SetFaults(ctx, *e.cfg.faults); err != nil {
			return err
		}
	} else if _, err := e.ClearFaults(ctx); err != nil {
		return err
	}
	return nil
}

// Seed creates or updates objects like kubectl apply -f: typed objects, unstructured objects or
// maps, each sent as JSON. It returns an error when the request or any object failed.
func (e *Emulator) Seed(ctx context.Context, objects ...any) (SeedReport, error) {
	docs := make([]string, 0, len(objects))
	for i, o := range objects {
		raw, err := json.Marshal(o)
		if err != nil {
			return SeedReport{}, fmt.Errorf("apoxy-emulator: Seed: object %d: %w", i, err)
		}
		docs = append(docs, string(raw))
	}
	return e.SeedYAML(ctx, strings.Join(docs, "\n---\n"))
}

// SeedYAML creates or updates the objects of manifests (YAML or JSON, multi-document, Lists
// flattened). It returns an error when the request or any object failed.
func (e *Emulator) SeedYAML(ctx context.Context, manifests string) (SeedReport, error) {
	var report SeedReport
	if err := e.admin(ctx, http.MethodPost, "/seed", strings.NewReader(manifests), "application/yaml", &report); err != nil {
		return report, err
	}
	if report.Failed > 0 {
		var why []string
		for _, r := range report.Results {
			if r.Outcome == "failed" && r.Status != nil {
				why = append(why, fmt.Sprintf("%s %q: %s", r.Kind, r.Name, r.Status.Message))
			}
		}
		return report, fmt.Errorf("apoxy-emulator: seed: %d of %d objects failed: %s", report.Failed, len(report.Results), strings.Join(why, "; "))
	}
	return report, nil
}

// Snapshot exports the whole state.
func (e *Emulator) Snapshot(ctx context.Context) (Snapshot, error) {
	var s Snapshot
	err := e.admin(ctx, http.MethodGet, "/snapshot", nil, "", &s)
	return s, err
}

// Restore replaces the whole state with a snapshot (objects keep their uids and get new
// resourceVersions).
func (e *Emulator) Restore(ctx context.Context, s Snapshot) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return e.admin(ctx, http.MethodPut, "/snapshot", bytes.NewReader(raw), "application/json", nil)
}

// Requests lists recent requests (at most 1000), oldest first.
func (e *Emulator) Requests(ctx context.Context, f RequestFilter) ([]RequestRecord, error) {
	q := url.Values{}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.PathPrefix != "" {
		q.Set("path", f.PathPrefix)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.IncludeAdmin {
		q.Set("all", "true")
	}
	path := "/requests"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var list struct {
		Items []RequestRecord `json:"items"`
	}
	err := e.admin(ctx, http.MethodGet, path, nil, "", &list)
	return list.Items, err
}

// ClearRequests empties the request log.
func (e *Emulator) ClearRequests(ctx context.Context) error {
	return e.admin(ctx, http.MethodDelete, "/requests", nil, "", nil)
}

// Faults reports the rules in force and their counters.
func (e *Emulator) Faults(ctx context.Context) (FaultReport, error) {
	var r FaultReport
	err := e.admin(ctx, http.MethodGet, "/faults", nil, "", &r)
	return r, err
}

// SetFaults replaces every rule (counters restart).
func (e *Emulator) SetFaults(ctx context.Context, c FaultConfig) (FaultReport, error) {
	return e.faultCall(ctx, http.MethodPut, &c)
}

// AddFaults adds rules to those in force.
func (e *Emulator) AddFaults(ctx context.Context, c FaultConfig) (FaultReport, error) {
	return e.faultCall(ctx, http.MethodPost, &c)
}

// ClearFaults removes every rule.
func (e *Emulator) ClearFaults(ctx context.Context) (FaultReport, error) {
	return e.faultCall(ctx, http.MethodDelete, nil)
}

func (e *Emulator) faultCall(ctx context.Context, method string, c *FaultConfig) (FaultReport, error) {
	var body io.Reader
	if c != nil {
		if c.Rules == nil {
			c.Rules = []FaultRule{}
		}
		raw, err := json.Marshal(c)
		if err != nil {
			return FaultReport{}, err
		}
		body = bytes.NewReader(raw)
	}
	var r FaultReport
	err := e.admin(ctx, method, "/faults", body, "application/json", &r)
	return r, err
}

// Clock reads the emulator's clock.
func (e *Emulator) Clock(ctx context.Context) (ClockState, error) {
	var s ClockState
	err := e.admin(ctx, http.MethodGet, "/clock", nil, "", &s)
	return s, err
}

// AdvanceClock moves the clock forward by d.
func (e *Emulator) AdvanceClock(ctx context.Context, d time.Duration) (ClockState, error) {
	return e.clockCall(ctx, map[string]string{"advance": d.String()})
}

// SetClock sets the clock to t.
func (e *Emulator) SetClock(ctx context.Context, t time.Time) (ClockState, error) {
	return e.clockCall(ctx, map[string]string{"set": t.UTC().Format(time.RFC3339Nano)})
}

func (e *Emulator) clockCall(ctx context.Context, body map[string]string) (ClockState, error) {
	raw, _ := json.Marshal(body)
	var s ClockState
	err := e.admin(ctx, http.MethodPost, "/clock", bytes.NewReader(raw), "application/json", &s)
	return s, err
}

// admin sends one admin request and decodes the answer into out (when not nil).
func (e *Emulator) admin(ctx context.Context, method, path string, body io.Reader, contentType string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, e.url+"/_emulator"+path, body)
	if err != nil {
		return err
	}
	if contentType != "" && body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if e.cfg.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+e.cfg.apiKey)
	}
	res, err := e.http.Do(req)
	if err != nil {
		return fmt.Errorf("apoxy-emulator: %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("apoxy-emulator: %s %s: reading the answer: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		var status metav1.Status
		if json.Unmarshal(raw, &status) == nil && status.Kind == "Status" {
			return &apierrors.StatusError{ErrStatus: status}
		}
		return fmt.Errorf("apoxy-emulator: %s %s: %s: %s", method, path, res.Status, bytes.TrimSpace(raw))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return errors.Join(fmt.Errorf("apoxy-emulator: %s %s: decoding the answer", method, path), err)
	}
	return nil
}
