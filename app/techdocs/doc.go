// Package techdocs reads TechDocs sites (mkdocs.yml and a docs folder)
// from a repository and renders their pages with goldmark, producing the
// HTML structure mkdocs-material gives with Backstage's techdocs-core
// extensions: toc permalinks, admonitions, details, tabs, highlighted
// code, mermaid, tables, footnotes, task lists, emoji and GitHub alerts.
// Pages are untrusted: the HTML is sanitised and paths stay in the repository.
package techdocs
