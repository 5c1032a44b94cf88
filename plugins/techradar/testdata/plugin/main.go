// Command plugin serves the Tech Radar plugin as an installed plugin, for
// tests of the hosts and portal without the callboard executable.
package main

import "github.com/callboard/callboard/plugins/techradar"

func main() { techradar.Serve() }
