// Package discover lists an organisation's repositories, their catalog
// files, teams and members through its forge's API.
package discover
