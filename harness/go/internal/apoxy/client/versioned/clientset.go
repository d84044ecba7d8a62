// Package versioned is a typed clientset for core.apoxy.dev/v1alpha2 Backends with the same
// shape as Apoxy's generated github.com/apoxy-dev/apoxy/client/versioned (NewForConfig,
// CoreV1alpha2().Backends(), CoreV1alpha().Backends()), built the way client-gen builds it in client-go v0.34: on
// k8s.io/client-go/gentype. It stands in for Apoxy's clientset, which the Go module proxy refuses
// (see harness/go/README.md).
package versioned

import (
	"context"
	"net/http"

	corev1alpha "github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/api/core/v1alpha"
	corev1alpha2 "github.com/apoxy-dev/apoxy-emulator/harness/go/internal/apoxy/api/core/v1alpha2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/gentype"
	"k8s.io/client-go/rest"
)

// Scheme, Codecs and ParameterCodec are what generated clientsets keep in their scheme package.
var (
	Scheme         = runtime.NewScheme()
	Codecs         = serializer.NewCodecFactory(Scheme)
	ParameterCodec = runtime.NewParameterCodec(Scheme)
)

func init() {
	metav1.AddToGroupVersion(Scheme, metav1.SchemeGroupVersion)
	if err := corev1alpha2.AddToScheme(Scheme); err != nil {
		panic(err)
	}
	if err := corev1alpha.AddToScheme(Scheme); err != nil {
		panic(err)
	}
}

// Clientset holds the group clients.
type Clientset struct {
	coreV1alpha2 *CoreClient
	coreV1alpha  *CoreClient
}

// CoreV1alpha2 is the core.apoxy.dev/v1alpha2 client.
func (c *Clientset) CoreV1alpha2() CoreInterface { return c.coreV1alpha2 }

// CoreV1alpha is the core.apoxy.dev/v1alpha client (the same store, the older version).
func (c *Clientset) CoreV1alpha() CoreInterface { return c.coreV1alpha }

// NewForConfig makes a clientset for the given config.
func NewForConfig(c *rest.Config) (*Clientset, error) {
	httpClient, err := rest.HTTPClientFor(c)
	if err != nil {
		return nil, err
	}
	v1alpha2, err := newCoreForConfigAndClient(c, httpClient, corev1alpha2.SchemeGroupVersion)
	if err != nil {
		return nil, err
	}
	v1alpha, err := newCoreForConfigAndClient(c, httpClient, corev1alpha.SchemeGroupVersion)
	if err != nil {
		return nil, err
	}
	return &Clientset{coreV1alpha2: v1alpha2, coreV1alpha: v1alpha}, nil
}

// CoreInterface lists a core.apoxy.dev version's resources.
type CoreInterface interface {
	RESTClient() rest.Interface
	Backends() BackendInterface
}

// CoreClient talks to one version of core.apoxy.dev.
type CoreClient struct {
	restClient rest.Interface
}

// RESTClient is the underlying REST client.
func (c *CoreClient) RESTClient() rest.Interface { return c.restClient }

// Backends is the client of the cluster-scoped backends resource.
func (c *CoreClient) Backends() BackendInterface {
	return &backends{gentype.NewClientWithList[*corev1alpha2.Backend, *corev1alpha2.BackendList](
		"backends", c.restClient, ParameterCodec, "",
		func() *corev1alpha2.Backend { return &corev1alpha2.Backend{} },
		func() *corev1alpha2.BackendList { return &corev1alpha2.BackendList{} },
	)}
}

func newCoreForConfigAndClient(c *rest.Config, h *http.Client, gv schema.GroupVersion) (*CoreClient, error) {
	config := *c
	config.GroupVersion = &gv
	config.APIPath = "/apis"
	config.NegotiatedSerializer = rest.CodecFactoryForGeneratedClient(Scheme, Codecs).WithoutConversion()
	if config.UserAgent == "" {
		config.UserAgent = rest.DefaultKubernetesUserAgent()
	}
	client, err := rest.RESTClientForConfigAndClient(&config, h)
	if err != nil {
		return nil, err
	}
	return &CoreClient{client}, nil
}

// BackendInterface is the generated typed interface of Backends.
type BackendInterface interface {
	Create(ctx context.Context, backend *corev1alpha2.Backend, opts metav1.CreateOptions) (*corev1alpha2.Backend, error)
	Update(ctx context.Context, backend *corev1alpha2.Backend, opts metav1.UpdateOptions) (*corev1alpha2.Backend, error)
	UpdateStatus(ctx context.Context, backend *corev1alpha2.Backend, opts metav1.UpdateOptions) (*corev1alpha2.Backend, error)
	Delete(ctx context.Context, name string, opts metav1.DeleteOptions) error
	DeleteCollection(ctx context.Context, opts metav1.DeleteOptions, listOpts metav1.ListOptions) error
	Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1alpha2.Backend, error)
	List(ctx context.Context, opts metav1.ListOptions) (*corev1alpha2.BackendList, error)
	Watch(ctx context.Context, opts metav1.ListOptions) (watch.Interface, error)
	Patch(ctx context.Context, name string, pt types.PatchType, data []byte, opts metav1.PatchOptions, subresources ...string) (*corev1alpha2.Backend, error)
}

type backends struct {
	*gentype.ClientWithList[*corev1alpha2.Backend, *corev1alpha2.BackendList]
}
