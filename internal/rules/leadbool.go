package rules

import (
	"sync"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// LeadBool is a compiled boolean expression over the lead scope. It is
// immutable and safe for concurrent use by multiple goroutines.
type LeadBool struct {
	prog *Program
	pool sync.Pool // of *Ctx
}

// CompileLeadBool compiles a boolean expression over the lead scope (see
// the package documentation for the names and helpers). Errors are
// *[Error] values with line, column and a caret snippet; callers that know
// where the expression came from can set the error's Path.
func CompileLeadBool(src string) (*LeadBool, error) {
	var s Set
	p, err := s.Compile(src, Options{Scope: ScopeLead})
	if err != nil {
		return nil, err
	}
	b := &LeadBool{prog: p}
	b.pool.New = func() any { return s.NewCtx() }
	return b, nil
}

// Eval evaluates the expression for lead l as of now: activities after now
// are invisible and `now` in the expression is now. A runtime problem (a
// custom field of the wrong type, say) is an *[Error]; Eval never panics.
func (p *LeadBool) Eval(l *lead.Lead, now time.Time) (bool, error) {
	if l == nil {
		return false, &Error{Source: p.prog.src, Msg: "nil lead"}
	}
	c := p.pool.Get().(*Ctx)
	c.Reset(l, now)
	ok, err := p.prog.Eval(c)
	c.Clear()
	p.pool.Put(c)
	return ok, err
}

// String returns the expression's source text.
func (p *LeadBool) String() string { return p.prog.src }
