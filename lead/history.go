package lead

import (
	"slices"
	"time"
)

// EnteredAt returns when the lead first entered stage s according to its
// history, and whether it ever did. Transitions are searched in any order.
// A nil lead never entered any stage.
func (l *Lead) EnteredAt(s Stage) (time.Time, bool) {
	if l == nil {
		return time.Time{}, false
	}
	var first time.Time
	found := false
	for i := range l.History {
		tr := &l.History[i]
		if tr.To == s && (!found || tr.At.Before(first)) {
			first, found = tr.At, true
		}
	}
	return first, found
}

// StageAt returns the stage the lead was in at instant t: the To of the
// latest transition at or before t (of two transitions at the same
// instant, the one later in History wins). When every transition lies
// after t it returns the From of the earliest one, which is empty if the
// host did not record it. A lead with no history is in [Lead.Stage] from
// its creation on, and in no stage ("") before. A nil lead is in no
// stage.
func (l *Lead) StageAt(t time.Time) Stage {
	if l == nil {
		return ""
	}
	if len(l.History) == 0 {
		if t.Before(l.CreatedAt) {
			return ""
		}
		return l.Stage
	}
	latest, earliest := -1, -1
	for i := range l.History {
		at := l.History[i].At
		if !at.After(t) {
			if latest < 0 || !at.Before(l.History[latest].At) {
				latest = i
			}
		} else if earliest < 0 || at.Before(l.History[earliest].At) {
			earliest = i
		}
	}
	if latest >= 0 {
		return l.History[latest].To
	}
	return l.History[earliest].From
}

// SortedHistory returns a copy of the lead's history sorted by time;
// transitions at the same instant keep their order in History. A nil
// lead has no history: it returns nil.
func (l *Lead) SortedHistory() []Transition {
	if l == nil {
		return nil
	}
	h := slices.Clone(l.History)
	slices.SortStableFunc(h, func(a, b Transition) int { return a.At.Compare(b.At) })
	return h
}

// OwnerAt returns who owned the lead at instant t: the Owner of the
// latest assignment at or before t (of two at the same instant, the one
// later in Assignments), "" before the first assignment. A lead with no
// assignments is taken to have had its current Owner all along. A nil
// lead has no owner.
func (l *Lead) OwnerAt(t time.Time) string {
	if l == nil {
		return ""
	}
	if len(l.Assignments) == 0 {
		return l.Owner
	}
	latest := -1
	for i := range l.Assignments {
		at := l.Assignments[i].At
		if !at.After(t) && (latest < 0 || !at.Before(l.Assignments[latest].At)) {
			latest = i
		}
	}
	if latest < 0 {
		return ""
	}
	return l.Assignments[latest].Owner
}
