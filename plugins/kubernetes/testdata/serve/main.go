// Command serve is the kubernetes plugin as a program of its own, for the
// tests that start it through the plugin host as Callboard does.
package main

import "github.com/callboard/callboard/plugins/kubernetes"

func main() { kubernetes.Serve() }
