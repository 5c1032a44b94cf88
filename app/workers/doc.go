// Package workers runs an instance's background work under one owner: each worker gets the owner's context, and Close cancels it and waits, within a bound, naming the workers that did not stop.
package workers
