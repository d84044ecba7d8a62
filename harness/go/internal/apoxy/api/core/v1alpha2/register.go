package v1alpha2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// SchemeGroupVersion is the group and version of these types.
var SchemeGroupVersion = schema.GroupVersion{Group: "core.apoxy.dev", Version: "v1alpha2"}

var (
	// SchemeBuilder registers the types with a scheme (for controller-runtime and clientsets).
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)
	// AddToScheme adds Backend and BackendList to a scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// Resource is a GroupResource of this version's group.
func Resource(resource string) schema.GroupResource {
	return SchemeGroupVersion.WithResource(resource).GroupResource()
}

func addKnownTypes(scheme *runtime.Scheme) error {
	scheme.AddKnownTypes(SchemeGroupVersion, &Backend{}, &BackendList{})
	metav1.AddToGroupVersion(scheme, SchemeGroupVersion)
	return nil
}
