// Package v1alpha2 holds Go types for core.apoxy.dev/v1alpha2 Backend, written from the API's
// published schema (openapi.yaml) with the same JSON names and omitempty rules as Apoxy's own
// github.com/apoxy-dev/apoxy/api/core/v1alpha2. They stand in for that package in this module's
// tests because the Go module proxy refuses github.com/apoxy-dev/apoxy (see harness/go/README.md).
//
// +k8s:deepcopy-gen=package
// +groupName=core.apoxy.dev
package v1alpha2

//go:generate go run k8s.io/code-generator/cmd/deepcopy-gen@v0.34.3 --output-file zz_generated.deepcopy.go .
