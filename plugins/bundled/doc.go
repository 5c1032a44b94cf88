// Package bundled holds the plugins built into the callboard executable:
// the host starts each as `callboard plugin-serve <name>`, a process of its
// own as any plugin, so one file carries them all.
package bundled
