package scoring

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leadkit/leadkit/internal/rules"
	"github.com/leadkit/leadkit/lead"
)

// Result is the score of one lead as of one instant, with its
// explanation.
type Result struct {
	// Model is the fingerprint of the model that produced the result.
	Model string `json:"model"`
	// LeadID is the lead's ID.
	LeadID string `json:"lead_id"`
	// At is the instant the lead was scored as of.
	At time.Time `json:"at"`
	// Fit is the sum of the fit rules' points, within limits.fit.
	Fit float64 `json:"fit"`
	// Engagement is the sum of the engagement rules' points, within
	// limits.engagement.
	Engagement float64 `json:"engagement"`
	// Total is Fit + Engagement, within limits.total.
	Total float64 `json:"total"`
	// Clipped says how much each group limit removed (positive when a
	// max cut the score down, negative when a min raised it).
	Clipped Clipped `json:"clipped,omitzero"`
	// Grade is the grade band the fit score falls in; empty when the
	// model has no bands or none covers the score.
	Grade string `json:"grade,omitempty"`
	// Band is the engagement band (of the model's Bands) the engagement
	// score falls in; empty when the model has none or none covers it.
	Band string `json:"band,omitempty"`
	// Cell is the fit × engagement matrix cell, Grade followed by Band
	// ("A1"); empty unless both are set.
	Cell string `json:"cell,omitempty"`
	// Reset is the last engagement reset that applied at or before At;
	// zero when none did.
	Reset AppliedReset `json:"reset,omitzero"`
	// Qualification is the highest stage reached and what the next needs.
	Qualification Qualification `json:"qualification,omitzero"`
	// Personas are the names of the personas the lead matches, in model
	// order.
	Personas []string `json:"personas,omitempty"`
	// Contributions has one line per rule that fired, in model order.
	Contributions []Contribution `json:"contributions,omitempty"`
}

// Clipped is what the group limits removed from each score: the value
// before the limit minus the value after.
type Clipped struct {
	Fit        float64 `json:"fit,omitempty"`
	Engagement float64 `json:"engagement,omitempty"`
	Total      float64 `json:"total,omitempty"`
}

// AppliedReset says which reset of the model set the lead's engagement
// back to zero, and when.
type AppliedReset struct {
	// Name is the reset's name.
	Name string `json:"name"`
	// At is the instant it triggered: the stage change, the activity or
	// the yearly date. Activities and adjustments at or before At do
	// not count.
	At time.Time `json:"at"`
	// Dropped is the number of the lead's activities at or before At
	// (all of them, matching a rule or not), which no rule counts.
	Dropped int `json:"dropped"`
}

// Qualification is where a lead stands on the qualification ladder.
type Qualification struct {
	// Stage is the highest stage whose criteria all hold; empty when none
	// does.
	Stage lead.Stage `json:"stage,omitempty"`
	// Next is the stage after Stage on the ladder (the first stage when
	// Stage is empty); empty when Stage is the top.
	Next lead.Stage `json:"next,omitempty"`
	// Met and Unmet name Next's criteria that hold and that do not.
	Met   []string `json:"met,omitempty"`
	Unmet []string `json:"unmet,omitempty"`
}

// Contribution explains what one rule added to a score.
type Contribution struct {
	// Rule is the rule's name.
	Rule string `json:"rule"`
	// Kind is Fit, Engagement or Adjustment (a reset of the model that
	// adjusts engagement; Rule is then the reset's name).
	Kind Kind `json:"kind"`
	// Matches is 1 for a fit rule, the number of matching activities an
	// engagement rule counted (after its frequency limit), and the number
	// of times an adjustment triggered.
	Matches int `json:"matches"`
	// Base is points × matches, before decay and caps.
	Base float64 `json:"base"`
	// Decayed is the sum after the half-life decay (equal to Base
	// without decay).
	Decayed float64 `json:"decayed"`
	// Points is what the rule added: Decayed within the rule's min and
	// max.
	Points float64 `json:"points"`
	// Clipped is Decayed − Points: how much the rule's cap removed.
	Clipped float64 `json:"clipped,omitempty"`
	// Limited is the number of matching activities the rule's frequency
	// limit removed (not counted in Matches).
	Limited int `json:"limited,omitempty"`
	// LimitedPoints is what the removed activities would have added,
	// after decay and before the rule's cap.
	LimitedPoints float64 `json:"limited_points,omitempty"`
}

// RuleError is a runtime failure of one expression for one lead, such as
// a custom field of the wrong type. It names the lead and the expression
// and unwraps to the positioned expression error.
type RuleError struct {
	LeadID string // the lead's ID
	Name   string // the rule, criterion or persona name
	Err    error  // the expression error (a positioned error from the rules layer)
}

// Error returns `lead "id": rule "name": cause`.
func (e *RuleError) Error() string {
	return fmt.Sprintf("lead %q: %q: %v", e.LeadID, e.Name, e.Err)
}

// Unwrap returns the expression error.
func (e *RuleError) Unwrap() error { return e.Err }

// Score scores lead l as of now: activities after now do not count, and
// `now` in every expression is now. A runtime error in a rule stops the
// scoring of this lead and is returned as a *[RuleError]; that includes
// exceeding the scorer's [Budget] ([ErrStepBudget], [ErrMemoryBudget]).
// A Result's numbers are always finite.
//
// The Result's slices are freshly allocated, exactly sized (at most two
// allocations: contributions, and the names of personas and criteria;
// plus one when an expression needs expr's VM). To score
// many leads without allocating, reuse one Result with [Scorer.ScoreInto].
func (s *Scorer) Score(l *lead.Lead, now time.Time) (Result, error) {
	if s == nil {
		return Result{}, errNilScorer
	}
	w := s.pool.Get().(*worker)
	err := s.score(w, &w.scratch, l, now)
	w.c.Clear()
	r := w.scratch
	// Copy the slices out of the worker's scratch result: one allocation
	// of exactly the size needed for the contributions, one for names.
	r.Contributions = nil
	if n := len(w.scratch.Contributions); n > 0 {
		r.Contributions = append(make([]Contribution, 0, n), w.scratch.Contributions...)
	}
	np, nm, nu := len(r.Personas), len(r.Qualification.Met), len(r.Qualification.Unmet)
	r.Personas, r.Qualification.Met, r.Qualification.Unmet = nil, nil, nil
	if n := np + nm + nu; n > 0 {
		names := make([]string, 0, n)
		names = append(names, w.scratch.Personas...)
		names = append(names, w.scratch.Qualification.Met...)
		names = append(names, w.scratch.Qualification.Unmet...)
		if np > 0 {
			r.Personas = names[:np:np]
		}
		if nm > 0 {
			r.Qualification.Met = names[np : np+nm : np+nm]
		}
		if nu > 0 {
			r.Qualification.Unmet = names[np+nm : n : n]
		}
	}
	clear(w.scratch.Personas) // the scratch keeps no references
	s.pool.Put(w)
	return r, err
}

// ScoreInto is [Scorer.Score] writing into *r and reusing the capacity of
// its slices: after the first few leads it does not allocate when every
// expression of the model runs natively (see package rules). On error,
// *r holds a partial result. A nil r or a nil scorer is an error.
func (s *Scorer) ScoreInto(r *Result, l *lead.Lead, now time.Time) error {
	if s == nil {
		return errNilScorer
	}
	if r == nil {
		return errors.New("scoring: ScoreInto: nil *Result")
	}
	w := s.pool.Get().(*worker)
	err := s.score(w, r, l, now)
	w.c.Clear()
	s.pool.Put(w)
	return err
}

// errNilScorer is returned by the scoring methods of a nil *Scorer.
var errNilScorer = errors.New("scoring: nil *Scorer; compile a model with Compile")

// worker is one goroutine's scoring state, reused across leads.
type worker struct {
	c    *rules.Ctx
	n    []int     // per engagement rule: matching activities
	dec  []float64 // per engagement rule: decayed points
	hits [][]hit   // per frequency-limited rule: its matching activities
	kept []time.Time

	scratch Result // Score's working result, copied out at the end

	// ScoreAll's per-chunk buffers.
	contribs []Contribution
	names    []string
	spans    [][4]int
}

func (s *Scorer) score(w *worker, r *Result, l *lead.Lead, now time.Time) error {
	if l == nil {
		*r = Result{Model: s.fingerprint, At: now}
		return errors.New("scoring: nil lead")
	}
	c := w.c
	*r = Result{
		Model: s.fingerprint, LeadID: l.ID, At: now,
		Personas:      r.Personas[:0],
		Contributions: r.Contributions[:0],
		Qualification: Qualification{Met: r.Qualification.Met[:0], Unmet: r.Qualification.Unmet[:0]},
	}
	c.Reset(l, now)
	fail := func(name string, err error) error { return &RuleError{LeadID: l.ID, Name: name, Err: err} }

	var fit float64
	for i := range s.fit {
		cr := &s.fit[i]
		ok, err := cr.prog.Eval(c)
		if err != nil {
			return fail(cr.name, err)
		}
		if ok {
			fit += cr.points
			r.Contributions = append(r.Contributions, Contribution{
				Rule: cr.name, Kind: Fit, Matches: 1, Base: cr.points, Decayed: cr.points, Points: cr.points,
			})
		}
	}

	// Resets: the last reset at or before now drops every activity at
	// or before it.
	var reset resetState
	if len(s.resets) > 0 {
		var err error
		if reset, err = s.lastReset(c, l, now); err != nil {
			return err
		}
	}

	// Engagement: one pass over the activities for all rules. A rule
	// whose expression requires certain activity types skips the others
	// with a string comparison, and a rule that is only a type test is
	// not evaluated at all.
	clear(w.n)
	clear(w.dec)
	for j := range l.Activities {
		a := &l.Activities[j]
		if a.At.After(now) {
			continue
		}
		if reset.ok && !a.At.After(reset.at) {
			r.Reset.Dropped++
			continue
		}
		age := now.Sub(a.At)
		for k := range s.eng {
			cr := &s.eng[k]
			if cr.types != nil && !typeIn(a.Type, cr.types) {
				continue
			}
			if cr.within > 0 && age > cr.within {
				continue
			}
			if !cr.exact {
				ok, err := cr.prog.EvalActivity(c, a)
				if err != nil {
					return fail(cr.name, err)
				}
				if !ok {
					continue
				}
			}
			p := cr.points
			if cr.halfLife > 0 {
				p *= math.Exp2(-float64(age) / float64(cr.halfLife))
			}
			if cr.freq != nil {
				w.hits[cr.freq.slot] = append(w.hits[cr.freq.slot], hit{at: a.At, key: distinctKeyOf(a, cr.freq.distinct), pts: p})
				continue
			}
			w.n[k]++
			w.dec[k] += p
		}
	}
	var eng float64
	for k := range s.eng {
		cr := &s.eng[k]
		var limited int
		var limitedPts float64
		if cr.freq != nil {
			h := w.hits[cr.freq.slot]
			w.n[k], w.dec[k], limited, limitedPts, w.kept = cr.freq.apply(h, w.kept)
			clear(h) // the worker keeps no reference to the lead
			w.hits[cr.freq.slot] = h[:0]
		}
		n := w.n[k]
		if n == 0 {
			continue
		}
		decayed := w.dec[k]
		pts := clamp(decayed, Limit{Min: cr.min, Max: cr.max})
		eng += pts
		r.Contributions = append(r.Contributions, Contribution{
			Rule: cr.name, Kind: Engagement, Matches: n, Base: cr.points * float64(n),
			Decayed: decayed, Points: pts, Clipped: decayed - pts,
			Limited: limited, LimitedPoints: limitedPts,
		})
	}
	if reset.ok {
		r.Reset.Name, r.Reset.At = s.resets[reset.index].name, reset.at
	}
	if len(s.resets) > 0 {
		for i := range s.resets {
			rs := &s.resets[i]
			if !rs.adjust {
				continue
			}
			n, err := s.occurrences(c, rs, l, now, reset)
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			pts := rs.points * float64(n)
			eng += pts
			r.Contributions = append(r.Contributions, Contribution{
				Rule: rs.name, Kind: Adjustment, Matches: n, Base: pts, Decayed: pts, Points: pts,
			})
		}
	}

	lim := &s.model.Limits
	r.Fit = clamp(fit, lim.Fit)
	r.Engagement = clamp(eng, lim.Engagement)
	sum := r.Fit + r.Engagement
	r.Total = clamp(sum, lim.Total)
	r.Clipped = Clipped{Fit: fit - r.Fit, Engagement: eng - r.Engagement, Total: sum - r.Total}
	if !isFinite(fit) || !isFinite(eng) || !isFinite(sum) || !isFinite(r.Total) {
		// Compile keeps points within MaxPoints, so this cannot happen;
		// if it ever did, no NaN or Inf leaves the scorer.
		r.Fit, r.Engagement, r.Total, r.Clipped = 0, 0, 0, Clipped{}
		return fmt.Errorf("scoring: lead %q: the score is not a finite number (fit %v, engagement %v)", l.ID, fit, eng)
	}
	gi := band(s.grades, r.Fit)
	bi := band(s.bands, r.Engagement)
	if gi >= 0 {
		r.Grade = s.grades[gi].Grade
	}
	if bi >= 0 {
		r.Band = s.bands[bi].Grade
		if gi >= 0 {
			r.Cell = s.cells[gi][bi]
		}
	}

	if len(s.stages) > 0 {
		c.SetScores(r.Fit, r.Engagement, r.Total, r.Grade)
		reached := -1
		for i := range s.stages {
			all := true
			for _, cc := range s.stages[i].criteria {
				ok, err := cc.prog.Eval(c)
				if err != nil {
					return fail(cc.name, err)
				}
				if !ok {
					all = false
					break
				}
			}
			if all {
				reached = i
			}
		}
		if reached >= 0 {
			r.Qualification.Stage = s.stages[reached].stage
		}
		if next := reached + 1; next < len(s.stages) {
			r.Qualification.Next = s.stages[next].stage
			for _, cc := range s.stages[next].criteria {
				ok, err := cc.prog.Eval(c)
				if err != nil {
					return fail(cc.name, err)
				}
				if ok {
					r.Qualification.Met = append(r.Qualification.Met, cc.name)
				} else {
					r.Qualification.Unmet = append(r.Qualification.Unmet, cc.name)
				}
			}
		}
	}
	for _, p := range s.personas {
		ok, err := p.prog.Eval(c)
		if err != nil {
			return fail(p.name, err)
		}
		if ok {
			r.Personas = append(r.Personas, p.name)
		}
	}
	return nil
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func typeIn(t lead.ActivityType, types []string) bool {
	for _, x := range types {
		if string(t) == x {
			return true
		}
	}
	return false
}

// band returns the index of the band v falls in, or -1.
func band(bands []GradeBand, v float64) int {
	for i, b := range bands {
		if (b.Min == nil || v >= *b.Min) && (b.Max == nil || v < *b.Max) {
			return i
		}
	}
	return -1
}

// ScoreAll scores every lead as of now on all cores (GOMAXPROCS workers)
// and returns the results in input order. A lead whose scoring fails
// leaves a partial result and its error at the same index of errs; errs
// is nil when every lead scored. A nil scorer gives every lead that
// error.
func (s *Scorer) ScoreAll(leads []lead.Lead, now time.Time) (results []Result, errs []error) {
	results = make([]Result, len(leads))
	if s == nil {
		if len(leads) == 0 {
			return results, nil
		}
		errs = make([]error, len(leads))
		for i := range errs {
			errs[i] = errNilScorer
		}
		return results, errs
	}
	const chunk = 256
	var next atomic.Int64
	var mu sync.Mutex
	work := func() {
		w := s.pool.Get().(*worker)
		defer func() {
			w.c.Clear()
			s.pool.Put(w)
		}()
		for {
			lo := int(next.Add(chunk)) - chunk
			if lo >= len(leads) {
				return
			}
			hi := min(lo+chunk, len(leads))
			// Score the chunk into the worker's reusable buffers, then
			// copy them into two exactly sized arrays shared by the
			// chunk's results: two allocations per 256 leads.
			w.contribs, w.names, w.spans = w.contribs[:0], w.names[:0], w.spans[:0]
			for i := lo; i < hi; i++ {
				if err := s.score(w, &w.scratch, &leads[i], now); err != nil {
					mu.Lock()
					if errs == nil {
						errs = make([]error, len(leads))
					}
					errs[i] = err
					mu.Unlock()
				}
				sc := &w.scratch
				w.spans = append(w.spans, [4]int{len(sc.Contributions), len(sc.Personas), len(sc.Qualification.Met), len(sc.Qualification.Unmet)})
				w.contribs = append(w.contribs, sc.Contributions...)
				w.names = append(w.names, sc.Personas...)
				w.names = append(w.names, sc.Qualification.Met...)
				w.names = append(w.names, sc.Qualification.Unmet...)
				r := &results[i]
				*r = *sc
				r.Contributions, r.Personas, r.Qualification.Met, r.Qualification.Unmet = nil, nil, nil, nil
			}
			var contribs []Contribution
			var names []string
			if len(w.contribs) > 0 {
				contribs = append([]Contribution(nil), w.contribs...)
			}
			if len(w.names) > 0 {
				names = append([]string(nil), w.names...)
			}
			c, n := 0, 0
			for k, sp := range w.spans {
				r := &results[lo+k]
				if sp[0] > 0 {
					r.Contributions = contribs[c : c+sp[0] : c+sp[0]]
					c += sp[0]
				}
				for j, dst := range []*[]string{&r.Personas, &r.Qualification.Met, &r.Qualification.Unmet} {
					if m := sp[j+1]; m > 0 {
						*dst = names[n : n+m : n+m]
						n += m
					}
				}
			}
		}
	}
	n := min(runtime.GOMAXPROCS(0), (len(leads)+chunk-1)/chunk)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
	return results, errs
}
