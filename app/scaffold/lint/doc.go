// Package lint finds mistakes in a software template before it runs:
// unknown actions and ui:fields, references to parameters and steps that
// do not exist, unused parameters and invalid parameter schemas, each at
// its file, line and column.
package lint
