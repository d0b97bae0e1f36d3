package funnel

import (
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// opts is the tests' shorthand for a definition's settings plus an as-of
// time, so that table tests can vary one of them at a time.
type opts struct {
	AsOf        time.Time
	Cohort      leadkit.Period
	Zone        leadkit.Zone
	Window      time.Duration
	Strict      bool
	Segment     lead.Key
	MaxFindings int
}

// def returns the definition of funnel f with o's settings.
func (o opts) def(f Funnel) Definition {
	return Definition{Funnel: f, Cohort: o.Cohort, Zone: o.Zone, Window: leadkit.Duration(o.Window),
		Strict: o.Strict, Segment: o.Segment, MaxFindings: o.MaxFindings}
}

// analyze is Analyze of funnel f with o, failing the test on error.
func analyze(t testing.TB, f Funnel, leads []lead.Lead, o opts) Report {
	t.Helper()
	r, err := Analyze(o.def(f), o.AsOf, leads)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newAnalysis returns an empty analysis of funnel f with o.
func newAnalysis(t testing.TB, f Funnel, o opts) *Analysis {
	t.Helper()
	an, err := Compile(o.def(f))
	if err != nil {
		t.Fatal(err)
	}
	return an.NewAnalysis(o.AsOf)
}

// report is a.Report, failing the test on error.
func report(t testing.TB, a *Analysis) Report {
	t.Helper()
	r, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// dur returns a pointer to d as a leadkit.Duration.
func dur(d time.Duration) *leadkit.Duration { v := leadkit.Duration(d); return &v }
