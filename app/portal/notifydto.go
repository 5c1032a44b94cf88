package portal

// NotificationSettings say which new problems a sync brings raise a
// desktop notification in the window.
type NotificationSettings struct {
	// OwnedByMe notifies the new problems of entities the user or their
	// groups own; on unless the user turns it off.
	OwnedByMe bool `json:"ownedByMe"`
	// Locations are the ids of the locations every new problem of which
	// is notified, whoever owns the entity; none unless the user adds them.
	Locations []string `json:"locations"`
}

// NotificationChange changes the notification settings it carries.
type NotificationChange struct {
	// OwnedByMe, when set, turns the notifications of owned entities on or off.
	OwnedByMe *bool `json:"ownedByMe,omitempty"`
	// LocationID and Location, set together, turn the notification of
	// every new problem of that location on or off.
	LocationID string `json:"locationId,omitempty"`
	Location   *bool  `json:"location,omitempty"`
}
