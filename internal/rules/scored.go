package rules

import (
	"sync"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// ScoredBool is a compiled boolean expression over the lead and, when it
// names them, the scores a host supplies beside the lead: fit,
// engagement, total and grade, the names of the qualification scope. It
// lets a package that must not import scoring (sla) filter on scores.
// It is immutable and safe for concurrent use by multiple goroutines.
type ScoredBool struct {
	prog   *Program
	scores bool
	pool   sync.Pool // of *Ctx
}

// CompileScoredBool compiles a boolean expression in the lead scope, or,
// when it names fit, engagement, total or grade, in the qualification
// scope ([ScopeQualify]); [ScoredBool.UsesScores] says which. Errors are
// *[Error] values with line, column and a caret snippet (from the
// qualification scope, so that a misspelt score name gets a
// suggestion).
func CompileScoredBool(src string) (*ScoredBool, error) {
	s := &Set{}
	p, err := s.Compile(src, Options{Scope: ScopeLead})
	scores := false
	if err != nil {
		s = &Set{}
		p, err = s.Compile(src, Options{Scope: ScopeQualify})
		if err != nil {
			return nil, err
		}
		scores = true
	}
	b := &ScoredBool{prog: p, scores: scores}
	b.pool.New = func() any { return s.NewCtx() }
	return b, nil
}

// UsesScores reports whether the expression names a score (fit,
// engagement, total or grade), so that evaluating it without the lead's
// scores would be meaningless.
func (p *ScoredBool) UsesScores() bool { return p.scores }

// Eval evaluates the expression for lead l as of now with the given
// scores (ignored when the expression names none): activities after now
// are invisible and `now` in the expression is now. A nil lead or a
// runtime problem is an *[Error]; Eval never panics.
func (p *ScoredBool) Eval(l *lead.Lead, now time.Time, fit, engagement, total float64, grade string) (bool, error) {
	if l == nil {
		return false, &Error{Source: p.prog.src, Msg: "nil lead"}
	}
	c := p.pool.Get().(*Ctx)
	c.Reset(l, now)
	if p.scores {
		c.SetScores(fit, engagement, total, grade)
	}
	ok, err := p.prog.Eval(c)
	c.Clear()
	p.pool.Put(c)
	return ok, err
}

// String returns the expression's source text.
func (p *ScoredBool) String() string { return p.prog.src }
