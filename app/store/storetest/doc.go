// Package storetest unpacks the store fixtures of app/store/testdata for
// tests of the packages that open a data dir.
package storetest
