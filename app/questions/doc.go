// Package questions reads and writes questions and answers kept as
// Markdown files with front matter under a repository's questions/ folder.
package questions
