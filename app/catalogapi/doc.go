// Package catalogapi serves Backstage's catalog REST API
// (@backstage/plugin-catalog-backend's routes, answers and errors) over
// Callboard's store, every query answered from a catalogquery index.
package catalogapi
