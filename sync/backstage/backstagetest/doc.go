// Package backstagetest records a Backstage backend's answers and serves
// them again on loopback, so tests of a Backstage location run without
// one.
package backstagetest
