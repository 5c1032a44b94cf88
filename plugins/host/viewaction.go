package host

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
)

// ViewActionTimeout bounds one view action: longer than a view's call,
// since fetching a container's log may take a while.
const ViewActionTimeout = 15 * time.Second

// Limits on a view action and on what it returns, beyond those of views.
const (
	maxOffered      = 2000
	maxOfferedKeys  = 256
	maxParams       = 32
	maxParamBytes   = 4 << 10
	maxLogLines     = 10000
	maxLogBytes     = 1 << 20
	maxLogSections  = 1000
	maxSectionTitle = 1 << 10
	maxActionBlocks = maxBlocks
)

var (
	// ErrNotOffered is a view action the plugin's last content for the
	// entity did not offer, with those parameters: a forged call.
	ErrNotOffered = errors.New("the plugin did not offer this action here")
	// ErrNoViewActions is a plugin that does not serve view actions.
	ErrNoViewActions = errors.New("the plugin serves no view actions")
)

// ViewActionCall is one press of a button a plugin's view offered.
type ViewActionCall struct {
	Plugin     string
	ID         string
	Parameters map[string]string
}

// offers remembers, per plugin and entity, the actions the plugin's views
// offered last, so that only those can be called: the UI is no authority.
type offers struct {
	mu sync.Mutex
	// byKey is what each plugin and entity offers (see offerKey); order
	// is the keys, oldest first, to forget the oldest.
	byKey map[string]*offerSet
	order []string
}

// offerSet is what one plugin offers for one entity, by actionKey: its
// views' actions, replaced with the views, and those its action answers
// offered since, the oldest forgotten first. A follow offers its next
// call in each answer, so answers are bounded by dropping the oldest,
// never by refusing the newest: a follow of an hour keeps going, and it
// never crowds out the views' own buttons.
type offerSet struct {
	views   map[string]bool
	answers map[string]bool
	order   []string
}

func (s *offerSet) has(k string) bool { return s != nil && (s.views[k] || s.answers[k]) }

func (s *offerSet) answer(k string) {
	if s.views[k] || s.answers[k] {
		return
	}
	s.answers[k] = true
	s.order = append(s.order, k)
	for len(s.order) > maxOffered {
		delete(s.answers, s.order[0])
		s.order = s.order[1:]
	}
}

func newOffers() *offers { return &offers{byKey: map[string]*offerSet{}} }

// offerKey names a plugin's content for an entity: the plugin and the
// entity's kind, namespace and name, lower-cased, from its JSON.
func offerKey(plugin string, entityJSON []byte) string {
	var e struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	_ = json.Unmarshal(entityJSON, &e)
	return strings.ToLower(plugin + "\x00" + e.Kind + ":" + cmp.Or(e.Metadata.Namespace, "default") + "/" + e.Metadata.Name)
}

// actionKey is an action's id and parameters, in an order of their own.
func actionKey(id string, params map[string]string) string {
	var b strings.Builder
	b.WriteString(id)
	for _, k := range slices.Sorted(maps.Keys(params)) {
		fmt.Fprintf(&b, "\x00%q=%q", k, params[k])
	}
	return b.String()
}

// set replaces what key's views offer with the actions of views and
// blocks; an answer (replace false) adds those of an action's answer,
// shown under the view.
func (o *offers) set(key string, blocks []*pluginv1.Block, views []*pluginv1.View, replace bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	set := o.byKey[key]
	if set == nil {
		set = &offerSet{views: map[string]bool{}, answers: map[string]bool{}}
		o.byKey[key] = set
		o.order = append(o.order, key)
	} else if replace {
		*set = offerSet{views: map[string]bool{}, answers: map[string]bool{}}
	}
	add := func(a *pluginv1.ViewAction) {
		if a == nil {
			return
		}
		k := actionKey(a.GetId(), a.GetParameters())
		if !replace {
			set.answer(k)
		} else if len(set.views) < maxOffered {
			set.views[k] = true
		}
	}
	for _, v := range views {
		for _, a := range v.GetActions() {
			add(a)
		}
		blocks = append(blocks, v.GetBlocks()...)
	}
	for _, b := range blocks {
		eachAction(b, add)
	}
	for len(o.order) > maxOfferedKeys {
		delete(o.byKey, o.order[0])
		o.order = o.order[1:]
	}
}

func (o *offers) offered(key, id string, params map[string]string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.byKey[key].has(actionKey(id, params))
}

// eachAction calls fn with every action of a block, a log's follow
// among them.
func eachAction(b *pluginv1.Block, fn func(*pluginv1.ViewAction)) {
	for _, a := range b.GetActions().GetItems() {
		fn(a)
	}
	for _, l := range b.GetLinks().GetItems() {
		if l.GetAction() != nil {
			fn(l.GetAction())
		}
	}
	for _, r := range b.GetTable().GetRows() {
		for _, c := range r.GetCells() {
			if c.GetAction() != nil {
				fn(c.GetAction())
			}
		}
	}
	if f := b.GetLog().GetFollow(); f != nil {
		fn(f)
	}
}

// ViewAction runs an action a plugin's view offered for e and returns the
// blocks to show in its place. It is refused (ErrNotOffered) unless the
// plugin's last content for e, or an action's answer since, offered that
// id with those parameters. A plugin that fails gives an *Unavailable or
// the plugin's own message, as EntityContent does.
func (h *Host) ViewAction(ctx context.Context, e Entity, call ViewActionCall) ([]*pluginv1.Block, error) {
	p, err := h.get(call.Plugin)
	if err != nil {
		return nil, err
	}
	st, err := h.settings(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("plugin %s: settings: %w", call.Plugin, err)
	}
	if !st.Enabled || !slices.Contains(p.man.ExtensionPoints, PointEntityContent) {
		return nil, fmt.Errorf("plugin %q is not enabled or shows no entity content: %w", call.Plugin, ErrUnknown)
	}
	key := offerKey(call.Plugin, e.JSON)
	if !h.offers.offered(key, call.ID, call.Parameters) {
		return nil, fmt.Errorf("plugin %s, action %q: %w", call.Plugin, call.ID, ErrNotOffered)
	}
	if _, err := p.ready(ctx); err != nil {
		return nil, err
	}
	if !p.info().Described.GetViewActions() {
		return nil, fmt.Errorf("plugin %s: %w", call.Plugin, ErrNoViewActions)
	}
	var blocks []*pluginv1.Block
	err = p.callWithin(ctx, h.opts.ViewActionTimeout, func(ctx context.Context, c pluginv1.PluginClient) error {
		resp, err := c.ViewAction(ctx, &pluginv1.ViewActionRequest{
			ActionId: call.ID, Parameters: call.Parameters,
			EntityJson: string(e.JSON), ClonePath: e.Clone, Commit: e.Commit, EntityFile: e.File,
			Config: st.Config, Secrets: st.Secrets,
		})
		if status.Code(err) == codes.Unimplemented {
			return fmt.Errorf("%w: %w", ErrNoViewActions, err)
		}
		if err != nil {
			return err
		}
		blocks = resp.GetBlocks()
		return nil
	})
	if errors.Is(err, ErrNoViewActions) {
		return nil, fmt.Errorf("plugin %s: %w", call.Plugin, ErrNoViewActions)
	}
	if err != nil {
		return nil, err
	}
	if err := checkBlocks("the action's answer", blocks, maxActionBlocks); err != nil {
		return nil, &Unavailable{call.Plugin, "it returned content Callboard cannot show: " + err.Error()}
	}
	sanitizeLogs(blocks)
	h.offers.set(key, blocks, nil, false)
	if blocks == nil {
		blocks = []*pluginv1.Block{}
	}
	return blocks, nil
}

// CheckViewActionCall refuses a call no view could have offered: too many
// or too long parameters. The portal checks it before anything else.
func CheckViewActionCall(call ViewActionCall) error {
	if call.ID == "" || len(call.ID) > 200 {
		return errors.New("an action id of 1 to 200 bytes is needed")
	}
	if len(call.Parameters) > maxParams {
		return fmt.Errorf("%d parameters, at most %d", len(call.Parameters), maxParams)
	}
	for k, v := range call.Parameters {
		if len(k)+len(v) > maxParamBytes {
			return fmt.Errorf("parameter %.40q: over %d bytes", k, maxParamBytes)
		}
	}
	return nil
}

// checkBlocks is checkViews for the blocks of one view, page or answer
// (at most limit of them), with the limits on actions, logs and radars.
func checkBlocks(where string, blocks []*pluginv1.Block, limit int) error {
	if len(blocks) > limit {
		return fmt.Errorf("%s: %d blocks, at most %d", where, len(blocks), limit)
	}
	for _, b := range blocks {
		if b.GetKind() == nil {
			return fmt.Errorf("%s: a block of a kind this Callboard does not know", where)
		}
		if t := b.GetTable(); t != nil && len(t.GetRows()) > maxRows {
			return fmt.Errorf("%s: a table of %d rows, at most %d", where, len(t.GetRows()), maxRows)
		}
		if err := checkBlockActions(b); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if r := b.GetRadar(); r != nil {
			if err := checkRadar(r); err != nil {
				return fmt.Errorf("%s: radar: %w", where, err)
			}
		}
	}
	return nil
}

// checkBlockActions checks a block's actions (each has an id and a label,
// within the parameter limits) and the size of a log.
func checkBlockActions(b *pluginv1.Block) error {
	var err error
	eachAction(b, func(a *pluginv1.ViewAction) {
		if err != nil {
			return
		}
		if a.GetLabel() == "" {
			err = fmt.Errorf("action %q has no label", a.GetId())
			return
		}
		err = CheckViewActionCall(ViewActionCall{ID: a.GetId(), Parameters: a.GetParameters()})
	})
	if err != nil {
		return err
	}
	if l := b.GetLog(); l != nil {
		return checkLog(l)
	}
	return nil
}

// checkLog bounds a log: its lines and its sections' lines count
// together, and a section's title and duration are a line each.
func checkLog(l *pluginv1.ActionLog) error {
	if len(l.GetSections()) > maxLogSections {
		return fmt.Errorf("a log of %d sections, at most %d", len(l.GetSections()), maxLogSections)
	}
	lines, n := len(l.GetLines()), 0
	for _, line := range l.GetLines() {
		n += len(line)
	}
	for _, s := range l.GetSections() {
		if len(s.GetTitle()) > maxSectionTitle || len(s.GetDuration()) > maxSectionTitle {
			return fmt.Errorf("a log section title or duration over %d bytes", maxSectionTitle)
		}
		lines += len(s.GetLines())
		for _, line := range s.GetLines() {
			n += len(line)
		}
	}
	if lines > maxLogLines {
		return fmt.Errorf("a log of %d lines, at most %d", lines, maxLogLines)
	}
	if n > maxLogBytes {
		return fmt.Errorf("a log of %d bytes, at most %d", n, maxLogBytes)
	}
	return nil
}

// sanitizeLogs drops control characters (terminal escapes, bells) from
// log lines, keeping tabs, and replaces invalid UTF-8.
func sanitizeLogs(blocks []*pluginv1.Block) {
	for _, b := range blocks {
		l := b.GetLog()
		if l == nil {
			continue
		}
		sanitizeLines(l.Lines)
		for _, s := range l.Sections {
			sanitizeLines(s.Lines)
			s.Title = sanitizeLine(s.Title)
			s.Duration = sanitizeLine(s.Duration)
		}
	}
}

func sanitizeLines(lines []string) {
	for i, line := range lines {
		lines[i] = sanitizeLine(line)
	}
}

// sanitizeLine drops control characters but tabs, and replaces invalid
// UTF-8.
func sanitizeLine(line string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, strings.ToValidUTF8(line, "\uFFFD"))
}
