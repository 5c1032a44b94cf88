// Package kubernetes is Callboard's built-in "kubernetes" plugin: it shows
// the Deployments and Pods of an entity in each cluster of the user's
// kubeconfig, found with Backstage's kubernetes annotations. The callboard
// executable runs it as `callboard plugin-serve kubernetes` (plugins/builtin).
package kubernetes
