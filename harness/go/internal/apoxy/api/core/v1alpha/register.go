// Package v1alpha is core.apoxy.dev/v1alpha, the older version the Apoxy server serves from the
// same store as v1alpha2. Its Backend has the same fields as v1alpha2's, so this test stand-in for
// Apoxy's github.com/apoxy-dev/apoxy/api/core/v1alpha reuses those Go types under its own
// group-version (the scheme encodes each object with the version of the client that sends it).
package v1alpha

import (
	"github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/api/core/v1alpha2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// SchemeGroupVersion is the group and version of these types.
var SchemeGroupVersion = schema.GroupVersion{Group: "core.apoxy.dev", Version: "v1alpha"}

type (
	// Backend is v1alpha2's Backend, sent and read as core.apoxy.dev/v1alpha.
	Backend = v1alpha2.Backend
	// BackendList is v1alpha2's BackendList, sent and read as core.apoxy.dev/v1alpha.
	BackendList = v1alpha2.BackendList
)

var (
	// SchemeBuilder registers the types with a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)
	// AddToScheme adds Backend and BackendList under core.apoxy.dev/v1alpha.
	AddToScheme = SchemeBuilder.AddToScheme
)

func addKnownTypes(scheme *runtime.Scheme) error {
	scheme.AddKnownTypes(SchemeGroupVersion, &Backend{}, &BackendList{})
	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
	return nil
}
