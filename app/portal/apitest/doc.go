// Package apitest is one behavioural test suite for portal.API, run against every implementation: the Service itself and each transport in front of it.
package apitest
