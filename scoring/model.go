package scoring

import (
	"github.com/leadkit/leadkit"
	"math"

	"github.com/leadkit/leadkit/lead"
)

// Model is a scoring model as plain data: the rules, the limits on the
// group totals, the grade bands, the qualification ladder and the
// personas. It has JSON tags so that a host can store, diff and version
// it, and let a marketing-ops person edit it. [ParseModel] loads it from
// JSON strictly; [Compile] validates and compiles it.
//
// The zero Model is valid: it scores every lead 0 with no grade, stage or
// persona.
type Model struct {
	// Name identifies the model ("default", "enterprise").
	Name string `json:"name,omitempty"`
	// Version is the host's version label for the model.
	Version string `json:"version,omitempty"`
	// Rules are the fit and engagement rules, in the order contributions
	// are reported.
	Rules []Rule `json:"rules,omitempty"`
	// Limits cap the fit and engagement totals and their sum.
	Limits Limits `json:"limits,omitzero"`
	// Grades are bands over the fit score, from best to worst.
	Grades []GradeBand `json:"grades,omitempty"`
	// Qualification is the ladder of stages, lowest first (for example
	// MQL then SQL), each with the criteria a lead must meet.
	Qualification []QualificationStage `json:"qualification,omitempty"`
	// Personas are named segments; a lead matches zero or more.
	Personas []lead.Persona `json:"personas,omitempty"`
}

// Kind says how a rule scores.
type Kind string

// The two kinds of rule.
const (
	// Fit rules score who the lead is: When is a boolean over the lead
	// and the rule adds Points once when it holds.
	Fit Kind = "fit"
	// Engagement rules score what the lead did: When is a boolean over
	// one activity and the rule adds Points per matching activity at or
	// before now, optionally only Within a window, optionally decayed by
	// age with a HalfLife, optionally capped by Max (and Min for negative
	// points).
	Engagement Kind = "engagement"
)

// String returns the kind's name.
func (k Kind) String() string { return string(k) }

// Rule is one scoring rule. Its When expression uses the rule language of
// package scoring's documentation: the lead scope for fit rules, the
// activity scope for engagement rules.
type Rule struct {
	// Name identifies the rule in explanations. Required.
	Name string `json:"name"`
	// Description tells people what the rule is for.
	Description string `json:"description,omitempty"`
	// Kind is Fit or Engagement; empty means Fit.
	Kind Kind `json:"kind,omitempty"`
	// When is the boolean condition. Required.
	When string `json:"when"`
	// Points are added when the rule holds (fit) or per matching
	// activity (engagement). May be negative.
	Points float64 `json:"points"`
	// Within limits an engagement rule to activities no older than this
	// duration before now (JSON "30d", "2w"). Zero means no limit.
	Within leadkit.Duration `json:"within,omitzero"`
	// HalfLife decays an engagement rule's points by age: an activity
	// age old adds points × 0.5^(age/half_life) (JSON "7d"). Zero means no
	// decay.
	HalfLife leadkit.Duration `json:"half_life,omitzero"`
	// Max caps an engagement rule's total from above.
	Max *float64 `json:"max,omitempty"`
	// Min caps an engagement rule's total from below (for negative
	// points).
	Min *float64 `json:"min,omitempty"`
}

// Limit is an optional lower and upper bound on a score.
type Limit struct {
	Min *float64 `json:"min,omitempty"` // lower bound; nil: none
	Max *float64 `json:"max,omitempty"` // upper bound; nil: none
}

// Limits caps the group totals and their sum. Each bound is optional.
type Limits struct {
	Fit        Limit `json:"fit,omitzero"`        // bounds the sum of the fit rules
	Engagement Limit `json:"engagement,omitzero"` // bounds the sum of the engagement rules
	Total      Limit `json:"total,omitzero"`      // bounds fit + engagement, after their own limits
}

// GradeBand is one grade over the fit score: a lead gets Grade when
// Min ≤ fit < Max. A nil Min or Max is unbounded. Bands are listed from
// best to worst, each band's Min equal to the next band's Max, so that
// they neither overlap nor leave gaps.
type GradeBand struct {
	Grade string   `json:"grade"`         // the grade's name ("A"); required, unique
	Min   *float64 `json:"min,omitempty"` // inclusive lower bound; nil only for the last band
	Max   *float64 `json:"max,omitempty"` // exclusive upper bound; nil only for the first band
}

// QualificationStage is one rung of the qualification ladder: a lead
// reaches Stage when every criterion holds.
type QualificationStage struct {
	Stage    lead.Stage  `json:"stage"`    // the stage reached; required, unique
	Criteria []Criterion `json:"criteria"` // all must hold; at least one
}

// Criterion is a named boolean over the lead and its scores (fit,
// engagement, total, grade): what sales reads and marketing works on.
type Criterion struct {
	Name string `json:"name"` // what sales and marketing read ("engaged in the last 30 days")
	When string `json:"when"` // the boolean expression
}

// Float returns a pointer to v, for the optional bounds of a [Model]
// written as a Go literal.
func Float(v float64) *float64 { return &v }

// Bands returns grade bands from thresholds given best first: Bands("A",
// 80, "B", 60, "C", 40, "D") is A ≥ 80, 60 ≤ B < 80, 40 ≤ C < 60 and
// D < 40. Arguments alternate grade (a string) and lower bound (an int or
// a float64); the last grade has no lower bound. An argument of another
// type gives a band that [Compile] refuses with its path (an empty grade,
// or a bound that is not a finite number), so a mistake in a literal is an
// error, not a panic.
func Bands(gradesAndMins ...any) []GradeBand {
	var out []GradeBand
	var upper *float64
	for i := 0; i < len(gradesAndMins); i += 2 {
		g, _ := gradesAndMins[i].(string)
		b := GradeBand{Grade: g, Max: upper}
		if i+1 < len(gradesAndMins) {
			m := math.NaN()
			switch v := gradesAndMins[i+1].(type) {
			case int:
				m = float64(v)
			case float64:
				m = v
			}
			b.Min = Float(m)
			upper = Float(m)
		}
		out = append(out, b)
	}
	return out
}
