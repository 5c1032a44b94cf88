// Package apigen generates every copy of the portal API from its one declaration in app/portal: the Wails bridge, the HTTP routes, the Go client, the event names and the TypeScript types and client.
package apigen
