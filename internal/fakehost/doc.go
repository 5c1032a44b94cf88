// Package fakehost is the testing.TB that the fake servers of the test
// packages (forgetest, kubetest) are written against, for a command that
// serves them to a browser or a user: fakeforge and fakecluster.
package fakehost
