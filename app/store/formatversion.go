package store

// Format is the store format this build reads and writes; `callboard
// version` shows it, so a user can tell which builds share a data dir.
const Format = format
