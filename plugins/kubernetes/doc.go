// Kubernetes is Callboard's built-in "kubernetes" plugin: it shows the
// Deployments and Pods of an entity in each cluster of the user's kubeconfig,
// found with Backstage's kubernetes annotations.
package main
