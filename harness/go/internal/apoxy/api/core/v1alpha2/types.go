package v1alpha2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// +genclient
// +genclient:nonNamespaced
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Backend configures a backend (upstream) endpoint for a Proxy.
type Backend struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   BackendSpec   `json:"spec,omitempty"`
	Status BackendStatus `json:"status,omitempty"`
}

// BackendSpec is what the user asks for.
type BackendSpec struct {
	// Endpoints has no omitempty upstream: a nil list is sent as null.
	Endpoints []BackendEndpoint `json:"endpoints"`
	// Protocol: "", tls, h2 or h2c (the apoxy profile stores it lowercased).
	Protocol string `json:"protocol"`
	// DynamicProxy turns the backend into a dynamic forward proxy.
	DynamicProxy *DynamicProxySpec `json:"dynamicProxy,omitempty"`
}

// BackendEndpoint is one upstream address: a DNS name or an IP.
type BackendEndpoint struct {
	FQDN string `json:"fqdn,omitempty"`
	IP   string `json:"ip,omitempty"`
}

// DynamicProxySpec configures the dynamic forward proxy.
type DynamicProxySpec struct {
	DnsCacheConfig *DynamicProxyDnsCacheConfig `json:"dnsCacheConfig,omitempty"`
}

// DynamicProxyDnsCacheConfig tunes the proxy's DNS cache.
type DynamicProxyDnsCacheConfig struct {
	DNSLookupFamily   string           `json:"dnsLookupFamily,omitempty"`
	DNSRefreshRate    *metav1.Duration `json:"dnsRefreshRate,omitempty"`
	DNSMinRefreshRate *metav1.Duration `json:"dnsMinRefreshRate,omitempty"`
	HostTTL           *metav1.Duration `json:"hostTTL,omitempty"`
	MaxHosts          *uint32          `json:"maxHosts,omitempty"`
	DNSQueryTimeout   *metav1.Duration `json:"dnsQueryTimeout,omitempty"`
}

// BackendStatus is what controllers report.
type BackendStatus struct {
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// BackendList is a list of Backends.
type BackendList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Backend `json:"items"`
}
