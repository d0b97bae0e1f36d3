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
	// Bands are bands over the engagement score, from best to worst, with
	// the same rules as Grades. Crossed with the grades they make the
	// fit × engagement matrix: a lead graded "A" in band "1" is in cell
	// "A1" (see [Result.Cell]).
	Bands []GradeBand `json:"bands,omitempty"`
	// Resets are the events that reset the engagement score, or adjust
	// it, such as a stage change to recycled, a lost opportunity or a
	// yearly reset date (see [Reset]).
	Resets []Reset `json:"resets,omitempty"`
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
	// Frequency limits how many matching activities an engagement rule
	// counts: once ever, at most N per day, week or rolling window, once
	// per distinct campaign, URL or email id. Nil counts every matching
	// activity ("every time").
	Frequency *Frequency `json:"frequency,omitempty"`
}

// Frequency is an engagement rule's frequency limit. Matching activities
// are grouped by the value of Distinct (one group when Distinct is
// empty); in each group, taken in time order, an activity counts only
// while fewer than Max activities of the group have counted in its
// period (Per), in the Window-long span ending at it (Window), or ever
// (neither). The activities the limit removes are reported in the rule's
// [Contribution] (Limited, LimitedPoints).
//
//	{}                                   once ever
//	{"max": 20, "per": "day"}            at most 20 a day (Marketo's limit)
//	{"max": 3, "window": "1h"}           at most 3 in any hour
//	{"distinct": "fields.email_id"}      once per email: re-opens count once
//	{"distinct": "campaign", "per": "week"}  once per campaign and week
//
// The order in which a rule's parts apply is: the reset (activities at or
// before the last reset do not count), the rule's When and Within, the
// frequency limit, the half-life decay of each counted activity, then the
// rule's Min and Max, then the group and total limits.
type Frequency struct {
	// Max is the most activities counted per group and period; zero
	// means 1 ("once").
	Max int `json:"max,omitempty"`
	// Per is the calendar period the count restarts in (day, week,
	// month, quarter, year), cut in Zone; empty means no period.
	Per leadkit.Period `json:"per,omitempty"`
	// Window is a rolling window: at most Max counted activities in any
	// span of this length (JSON "1h", "7d"). Zero means none; Per and
	// Window exclusive.
	Window leadkit.Duration `json:"window,omitzero"`
	// Distinct is the activity field whose values are counted apart:
	// "campaign", "url", "type", "actor" or "fields.<name>". Activities
	// without the field share one group. Empty means one group.
	Distinct string `json:"distinct,omitempty"`
	// Zone is the time zone Per's periods are cut in; empty means UTC.
	Zone leadkit.Zone `json:"zone,omitempty"`
}

// ResetAction is what a [Reset] does when it triggers.
type ResetAction string

// The reset actions.
const (
	// ResetEngagement drops every engagement activity (and adjustment)
	// at or before the instant the reset triggered: engagement restarts
	// from zero.
	ResetEngagement ResetAction = "reset"
	// AdjustEngagement adds the reset's Points (usually negative) to the
	// engagement score each time it triggers.
	AdjustEngagement ResetAction = "adjust"
)

// Reset is a score reset or adjustment: on an event (the lead entering a
// stage, an activity matching an expression, or a date each year) it
// resets the engagement score or adds points to it. Only events at or
// before the instant scored count, so a lead scored as of an earlier
// instant is scored as it was then. Exactly one of Stage, When and Yearly
// is set.
type Reset struct {
	// Name identifies the reset in results. Required.
	Name string `json:"name"`
	// Description tells people what the reset is for.
	Description string `json:"description,omitempty"`
	// Action is ResetEngagement or AdjustEngagement; empty means
	// ResetEngagement.
	Action ResetAction `json:"action,omitempty"`
	// Points are added to engagement each time an adjustment triggers;
	// only for AdjustEngagement.
	Points float64 `json:"points,omitempty"`
	// Stage triggers on each change of the lead's stage to this stage
	// (a [lead.Transition] in its history), for example "recycled".
	Stage lead.Stage `json:"stage,omitempty"`
	// When triggers on each activity matching this activity-scope
	// expression, for example `type == "opportunity_lost"`.
	When string `json:"when,omitempty"`
	// Yearly triggers each year at local midnight of this date, "MM-DD"
	// ("01-01" for a yearly reset), in Zone; only dates after the lead
	// was created count.
	Yearly string `json:"yearly,omitempty"`
	// Zone is the time zone of Yearly; empty means UTC.
	Zone leadkit.Zone `json:"zone,omitempty"`
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
