package locale

import (
	"fmt"
	"time"
)

// Age says a duration in the largest unit that fits, as messages for
// people say how old something is: "less than a minute", "5 min", "3 h",
// "90 days".
func Age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
