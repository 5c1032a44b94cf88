// Package wire holds the rules every transport of the portal API shares: how arguments travel in a URL's query, and that empty lists and maps cross as [] and {}, never null.
package wire
