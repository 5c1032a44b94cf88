// Package stackoverflow is the built-in Stack Overflow plugin: it adds the
// questions of a Stack Exchange site (or a Stack Overflow for Teams team)
// with the tags named in its settings to the search index, fetched from
// the Stack Exchange API at most every few minutes and kept on disk so
// they are found offline. The callboard executable runs it as
// `callboard plugin-serve stackoverflow` (plugins/bundled).
package stackoverflow
