package scoring

import (
	"errors"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// Step is a lead's score as of one instant of its replay.
type Step struct {
	At         time.Time  `json:"at"`
	Fit        float64    `json:"fit"`
	Engagement float64    `json:"engagement"`
	Total      float64    `json:"total"`
	Grade      string     `json:"grade,omitempty"`
	Cell       string     `json:"cell,omitempty"` // the fit × engagement matrix cell
	Stage      lead.Stage `json:"stage,omitempty"`
}

// History is a lead's score over time under one model: one [Step] per
// instant something happened, in time order. It is the series a chart
// of the lead's score draws, and it answers when the lead first reached
// a score, a grade or a qualification stage.
type History struct {
	// Steps are the lead's scores as of its creation, as of each
	// distinct instant of its activities and of the model's resets that
	// concern it, and as of now, in time order, without repeated
	// instants; instants after now are left out.
	Steps []Step `json:"steps"`
	// grades and stages are the model's ladders, best grade first and
	// lowest stage first.
	grades []string
	stages []lead.Stage
}

// Replay scores l as of each instant something happened to it up to
// now: its creation, each of its activities, each stage change that
// triggers a reset of the model, the yearly reset dates since its
// creation (the last 100 of each reset), in time order (the input order
// does not matter), and now itself. Its cost is one score per
// distinct instant, that is no more than re-scoring the lead at each
// activity.
//
// A condition that becomes true by the passing of time alone (a
// days_since rule, a decaying engagement) is seen at the next activity,
// or at now. Replay returns an error for a nil scorer or lead, and for a
// rule error at any instant (naming the lead and rule).
func (s *Scorer) Replay(l *lead.Lead, now time.Time) (History, error) {
	if s == nil {
		return History{}, errors.New("scoring: Replay on a nil *Scorer")
	}
	if l == nil {
		return History{}, leadkit.Errorf("lead", "nil")
	}
	instants := make([]time.Time, 0, len(l.Activities)+2)
	if !l.CreatedAt.IsZero() && !l.CreatedAt.After(now) {
		instants = append(instants, l.CreatedAt)
	}
	for _, a := range l.Activities {
		if !a.At.IsZero() && !a.At.After(now) {
			instants = append(instants, a.At)
		}
	}
	for i := range s.resets {
		rs := &s.resets[i]
		switch {
		case rs.stage != "":
			for _, tr := range l.History {
				if tr.To == rs.stage && !tr.At.After(now) {
					instants = append(instants, tr.At)
				}
			}
		case rs.month > 0:
			d, ok := rs.lastDate(now)
			for n := 0; ok && n < maxReplayDates && d.After(l.CreatedAt); n++ {
				instants = append(instants, d)
				d = rs.date(d.In(rs.loc).Year() - 1)
			}
		}
	}
	instants = append(instants, now)
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	instants = slices.CompactFunc(instants, func(a, b time.Time) bool { return a.Equal(b) })

	h := History{Steps: make([]Step, 0, len(instants))}
	for _, g := range s.grades {
		h.grades = append(h.grades, g.Grade)
	}
	for _, st := range s.model.Qualification {
		h.stages = append(h.stages, st.Stage)
	}
	var r Result
	for _, at := range instants {
		if err := s.ScoreInto(&r, l, at); err != nil {
			return History{}, err
		}
		h.Steps = append(h.Steps, Step{At: r.At, Fit: r.Fit, Engagement: r.Engagement, Total: r.Total,
			Grade: r.Grade, Cell: r.Cell, Stage: r.Qualification.Stage})
	}
	return h, nil
}

// maxReplayDates bounds the yearly reset dates a replay steps through,
// per reset.
const maxReplayDates = 100

// FirstTotal returns the first step whose total score is at least min.
func (h History) FirstTotal(min float64) (Step, bool) {
	for _, st := range h.Steps {
		if st.Total >= min {
			return st, true
		}
	}
	return Step{}, false
}

// FirstGrade returns the first step whose grade is grade or better (the
// model lists its grades best first). An unknown grade is never reached.
func (h History) FirstGrade(grade string) (Step, bool) {
	want := slices.Index(h.grades, grade)
	if want < 0 {
		return Step{}, false
	}
	for _, st := range h.Steps {
		if g := slices.Index(h.grades, st.Grade); g >= 0 && g <= want {
			return st, true
		}
	}
	return Step{}, false
}

// FirstStage returns the first step at which the lead had reached stage
// or a higher stage of the model's qualification ladder. An unknown
// stage is never reached.
func (h History) FirstStage(stage lead.Stage) (Step, bool) {
	want := slices.Index(h.stages, stage)
	if want < 0 {
		return Step{}, false
	}
	for _, st := range h.Steps {
		if slices.Index(h.stages, st.Stage) >= want {
			return st, true
		}
	}
	return Step{}, false
}
