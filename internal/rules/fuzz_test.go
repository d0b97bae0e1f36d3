package rules

import (
	"errors"
	"testing"
	"time"
)

// FuzzCompile compiles arbitrary rule text in every scope and evaluates
// whatever compiles against a fixed lead: it must never panic and never
// run away (the limits bound size, nesting and VM memory).
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`company.employees >= 200`, `person.title matches "(?i)vp"`, `activity_count("page_view", "30d") > 2`,
		`any(activities, .type == "demo_request")`, `fields.budget ?? 0 > 10`, `len(1..fields.n) > 0`,
		`type == "page_view" && url contains "/pricing"`, `days_since(at) < 7`, `fit >= 50 && grade in ["A"]`,
		`let x = 1; x > 0`, `now > date("2025-01-01")`, `icontains(person.title, "vp") || free_email(person.email)`,
		`"a" + "b" == "ab"`, `map(1..10, # * 2)[0] == 2`, `reduce(activities, #acc + 1, 0) > 0`,
		`fields.budget >= 10 and fields.plan != "x" or not (fields.trial == true)`, `fields.when == "x"`,
		`(fields.missing ?? 3) in [1, 2, 3]`, `company.annual_revenue > 1e6 && person.title < "Z"`,
		`let r = 0..9999; all(r, all(r, # >= 0))`, `len(map(0..999, upper(person.title))) > 0`,
		`sum(1..fields.n) > 0`, `fields.n * fields.n > 0`, `-fields.n < 0`, `int(1e300) > 0`,
		`let f = now.Unix; f() > 0`, `any([now], #.Local != nil)`, `reduce(0..40, #acc + #acc, "ab") != ""`,
	} {
		f.Add(s, uint8(0))
	}
	l := testLead()
	l.Fields["n"] = 1 << 40
	f.Fuzz(func(t *testing.T, src string, scope uint8) {
		// A small budget keeps each execution short; the default one is
		// exercised by the hostile suite.
		s := Set{Limits: Limits{Steps: 100_000, Memory: 1 << 20}}
		sc := Scope(scope % 3)
		p, err := s.Compile(src, Options{Scope: sc, Path: "rules[0].when"})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		c := s.NewCtx()
		c.Reset(l, t0)
		c.SetScores(50, 20, 70, "B")
		if sc == ScopeActivity {
			vmOnly := *p
			vmOnly.native = nil
			for i := range l.Activities {
				got, err := p.EvalActivity(c, &l.Activities[i])
				want, werr := vmOnly.EvalActivity(c, &l.Activities[i])
				if overBudget(werr) {
					continue // see overBudget
				}
				if got != want || (err == nil) != (werr == nil) {
					t.Fatalf("%q on activity %d: native %v, %v; vm %v, %v", src, i, got, err, want, werr)
				}
			}
			return
		}
		start := time.Now()
		got, err := p.Eval(c)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q ran for %v", src, d)
		}
		if p.Native() {
			// The native closures must agree with the VM.
			vmOnly := *p
			vmOnly.native = nil
			want, werr := vmOnly.Eval(c)
			if overBudget(werr) {
				return // see above
			}
			if got != want || (err == nil) != (werr == nil) {
				t.Fatalf("%q: native %v, %v; vm %v, %v", src, got, err, want, werr)
			}
		}
	})
}

// overBudget reports whether err is the step or memory budget running
// out. The budget is per lead, shared by every evaluation on one Ctx, so
// the second of two evaluations of the same rule (the VM-only one here)
// can find it spent where the first did not; that is the budget working,
// not a disagreement.
func overBudget(err error) bool {
	return errors.Is(err, ErrStepBudget) || errors.Is(err, ErrMemoryBudget)
}

// FuzzParseDuration: ParseDuration never panics, never returns more than
// MaxDuration, and agrees with time.ParseDuration (to the nanosecond its
// float rounding may lose) on the inputs both accept.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "1.5h", "-2w", "9223372036.854775807s", "0.000000001s", "36525d", "1h30m", "1.0000000001ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d > MaxDuration || d < -MaxDuration {
			t.Fatalf("%q: %v is beyond MaxDuration", s, d)
		}
		if want, err := time.ParseDuration(s); err == nil {
			if diff := d - want; diff < -1 || diff > 1 {
				t.Fatalf("%q: got %v, time.ParseDuration %v", s, d, want)
			}
		}
	})
}
