// Package bundled holds the manifests of the plugins built into the
// callboard executable: the host starts each as `callboard plugin-serve
// <name>`, a process of its own as any plugin, which plugins/bundled/servers
// serves. It does not link the plugins, so the window can start them.
package bundled
