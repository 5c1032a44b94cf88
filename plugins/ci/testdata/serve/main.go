// Command serve is the ci plugin as a program of its own, for the
// benchmark that starts it through the plugin host as Callboard does.
package main

import "github.com/callboard/callboard/plugins/ci"

func main() { ci.Serve() }
