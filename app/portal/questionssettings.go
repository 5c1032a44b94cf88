package portal

import (
	"context"
	"fmt"
	"strings"

	"github.com/callboard/callboard/app/store"
)

// questionsPatch checks a patch's Q&A location: "" or a location that is
// a repository the app can commit to (synced or not yet).
func (s *userSettings) questionsPatch(ctx context.Context, p SettingsPatch) (settingChanges, error) {
	var c settingChanges
	if p.QuestionsLocation == nil {
		return c, nil
	}
	id := strings.TrimSpace(*p.QuestionsLocation)
	if id != "" {
		l, ok, err := s.db.Location(ctx, id)
		switch {
		case err != nil:
			return c, err
		case !ok:
			return c, fmt.Errorf("questions location %q: no such location: %w", id, ErrInvalid)
		case !repository(l):
			return c, fmt.Errorf("questions location %q: not a repository questions can be written to: %w", id, ErrInvalid)
		}
	}
	c.add("questionsLocation", func(st *store.Settings) { st.QuestionsLocation = id })
	return c, nil
}
