package sla

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/rules"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Kind is the kind of promise a [Policy] makes.
type Kind string

// The policy kinds. Response, attempts and acceptance are sales' promises
// about each lead; volume and quality are marketing's promises about the
// leads of a period.
const (
	// KindResponse: the first sales touch after the lead first enters
	// the policy's stage comes within Within.
	KindResponse Kind = "response"
	// KindAttempts: at least Attempts sales touches within Within after
	// the lead first enters the stage.
	KindAttempts Kind = "attempts"
	// KindAcceptance: the lead leaves the handoff stage, accepted or
	// rejected with a reason, within Within.
	KindAcceptance Kind = "acceptance"
	// KindVolume: at least Target leads enter the stage per Period.
	KindVolume Kind = "volume"
	// KindQuality: at least Percent % of the leads handed off in a
	// Period are accepted by sales.
	KindQuality Kind = "quality"
)

// String returns the kind's name.
func (k Kind) String() string { return string(k) }

// perLead reports whether the kind gives each lead a status.
func (k Kind) perLead() bool { return k == KindResponse || k == KindAttempts || k == KindAcceptance }

// Clock says how a policy measures durations.
type Clock string

// The clocks.
const (
	// ClockBusiness measures working time on the agreement's calendar.
	// It is the default.
	ClockBusiness Clock = "business"
	// ClockCalendar measures elapsed time.
	ClockCalendar Clock = "calendar"
)

// Period is the length of a volume or quality period, in the calendar's
// time zone.
type Period string

// The periods. Weeks start on Monday at local midnight; months and
// quarters on their first day.
const (
	PeriodWeek    Period = "week"
	PeriodMonth   Period = "month"
	PeriodQuarter Period = "quarter"
)

// Policy is one promise of the agreement between marketing and sales, as
// plain data. Which fields matter depends on Kind; Validate reports the
// ones that are missing or do not apply.
type Policy struct {
	// Name identifies the policy in reports. Required and unique.
	Name string `json:"name"`
	// Kind is the kind of promise. Required.
	Kind Kind `json:"kind"`
	// Team is the side that owes the promise; empty means sales for
	// response, attempts and acceptance and marketing for volume and
	// quality.
	Team lead.Team `json:"team,omitempty"`
	// Stage is the stage whose first entry starts the clock (response,
	// attempts, acceptance), is counted (volume) or is the handoff
	// (quality). Empty means MQL.
	Stage lead.Stage `json:"stage,omitempty"`
	// Within is the time allowed (response, acceptance) or the window
	// (attempts), as "8h", "30m", "2d" or "1w" (days and weeks are 24
	// and 168 hours of the policy's clock).
	Within string `json:"within,omitempty"`
	// Clock measures Within: business (default) or calendar.
	Clock Clock `json:"clock,omitempty"`
	// WarnBefore marks a pending lead "at risk" when less than this is
	// left before its deadline, in the policy's clock. Empty: never.
	WarnBefore string `json:"warn_before,omitempty"`
	// Touches lists the activity types that count as sales touches;
	// empty means every activity with an actor.
	Touches []lead.ActivityType `json:"touches,omitempty"`
	// Attempts is the number of touches the attempts kind requires.
	Attempts int `json:"attempts,omitempty"`
	// Accept lists the stages that mean sales accepted the lead
	// (acceptance, quality). Empty means the standard lifecycle stages
	// after Stage (SAL, SQL, ...).
	Accept []lead.Stage `json:"accept,omitempty"`
	// Reject lists the stages that mean sales rejected the lead. Empty
	// means recycled and disqualified. A rejection must carry a reason
	// (Transition.Reason): one without breaks the acceptance policy.
	Reject []lead.Stage `json:"reject,omitempty"`
	// Period is the period of volume and quality policies.
	Period Period `json:"period,omitempty"`
	// Target is the number of leads per period of a volume policy.
	Target int `json:"target,omitempty"`
	// Percent is the share of handed-off leads a quality policy requires
	// sales to accept, from 0 to 100.
	Percent decimal.Decimal `json:"percent"`
	// Segment restricts the policy to the leads for which this boolean
	// expression (the scoring rule language, over the lead as of the
	// report's as-of time) is true; empty means every lead.
	Segment string `json:"segment,omitempty"`
}

// Agreement is the whole service-level agreement as plain data: the
// business calendar and the policies measured on it.
type Agreement struct {
	// Calendar is the business calendar of the business clocks and of
	// the periods.
	Calendar Calendar `json:"calendar"`
	// Policies are the promises, reported in this order.
	Policies []Policy `json:"policies"`
}

// Validate reports every problem of the agreement, each with its path
// ("policies[2].within: ..."), joined with errors.Join.
func (a Agreement) Validate() error {
	_, err := Compile(a)
	return err
}

// policy is a compiled Policy.
type policy struct {
	def        Policy
	team       lead.Team
	stage      lead.Stage
	within     time.Duration
	business   bool
	warn       time.Duration
	touches    []lead.ActivityType
	accept     []lead.Stage
	reject     []lead.Stage
	percent    decimal.Decimal
	segment    *rules.LeadBool
	hasSegment bool
}

// Checker is a compiled [Agreement]: it gives each lead its status under
// each policy ([Checker.Check]) and builds [Compliance] accumulators. It
// is immutable and safe for concurrent use.
type Checker struct {
	def      Agreement
	cal      *Schedule
	policies []policy
}

// Compile checks the agreement and compiles it: the calendar once, each
// policy's durations and segment expression once.
func Compile(a Agreement) (*Checker, error) {
	var errs []error
	cal, err := CompileCalendar(a.Calendar)
	if err != nil {
		errs = append(errs, prefixErrs("calendar", err))
	}
	ch := &Checker{def: a, cal: cal}
	names := map[string]int{}
	for i, p := range a.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		cp, perrs := compilePolicy(path, p)
		errs = append(errs, perrs...)
		if p.Name != "" {
			if j, dup := names[p.Name]; dup {
				errs = append(errs, fmt.Errorf("%s.name: %q is already the name of policies[%d]", path, p.Name, j))
			}
			names[p.Name] = i
		}
		ch.policies = append(ch.policies, cp)
	}
	if len(a.Policies) == 0 {
		errs = append(errs, errors.New("policies: none; add at least one policy"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ch, nil
}

// MustCompile is like [Compile] but panics on an error. It is meant for
// agreements written as literals in tests and examples.
func MustCompile(a Agreement) *Checker {
	ch, err := Compile(a)
	if err != nil {
		panic(fmt.Sprintf("sla: MustCompile: %v", err))
	}
	return ch
}

// Agreement returns the definition the checker was compiled from. Its
// slices are shared with the checker and must not be modified.
func (ch *Checker) Agreement() Agreement { return ch.def }

// Schedule returns the compiled business calendar.
func (ch *Checker) Schedule() *Schedule { return ch.cal }

// prefixErrs prefixes every error joined in err with path.
func prefixErrs(path string, err error) error {
	var out []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, fmt.Errorf("%s.%w", path, e))
		}
		return errors.Join(out...)
	}
	return fmt.Errorf("%s.%w", path, err)
}

func compilePolicy(path string, p Policy) (policy, []error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s.%s: "+format, append([]any{path, field}, args...)...))
	}
	cp := policy{def: p, team: p.Team, stage: p.Stage, business: true}
	if p.Name == "" {
		bad("name", "missing; every policy needs a name for the reports")
	}
	switch p.Kind {
	case KindResponse, KindAttempts, KindAcceptance:
		if cp.team == "" {
			cp.team = lead.TeamSales
		}
	case KindVolume, KindQuality:
		if cp.team == "" {
			cp.team = lead.TeamMarketing
		}
	case "":
		bad("kind", "missing; want response, attempts, acceptance, volume or quality")
	default:
		bad("kind", "unknown kind %q; want response, attempts, acceptance, volume or quality", p.Kind)
	}
	if p.Team != "" && !p.Team.IsValid() {
		bad("team", "unknown team %q; want marketing or sales", p.Team)
	}
	if cp.stage == "" {
		cp.stage = lead.StageMQL
	}
	switch p.Clock {
	case "", ClockBusiness:
	case ClockCalendar:
		cp.business = false
	default:
		bad("clock", "unknown clock %q; want business or calendar", p.Clock)
	}
	if p.Kind.perLead() {
		if p.Within == "" {
			bad("within", "missing; give the time allowed, such as \"8h\"")
		} else if d, err := rules.ParseDuration(p.Within); err != nil {
			bad("within", "%v", err)
		} else if d <= 0 {
			bad("within", "%q is not positive", p.Within)
		} else {
			cp.within = d
		}
		if p.WarnBefore != "" {
			if d, err := rules.ParseDuration(p.WarnBefore); err != nil {
				bad("warn_before", "%v", err)
			} else if d < 0 {
				bad("warn_before", "%q is negative", p.WarnBefore)
			} else {
				cp.warn = d
			}
		}
	} else {
		for _, f := range []struct {
			name string
			set  bool
		}{{"within", p.Within != ""}, {"clock", p.Clock != ""}, {"warn_before", p.WarnBefore != ""}} {
			if f.set {
				bad(f.name, "does not apply to a %s policy", p.Kind)
			}
		}
	}
	if p.Kind == KindAttempts {
		if p.Attempts < 1 {
			bad("attempts", "%d; an attempts policy needs at least 1", p.Attempts)
		}
	} else if p.Attempts != 0 {
		bad("attempts", "applies only to an attempts policy")
	}
	if p.Kind == KindResponse || p.Kind == KindAttempts {
		cp.touches = p.Touches
	} else if len(p.Touches) > 0 {
		bad("touches", "applies only to response and attempts policies")
	}
	if p.Kind == KindAcceptance || p.Kind == KindQuality {
		cp.accept, cp.reject = p.Accept, p.Reject
		if len(cp.accept) == 0 {
			life := lead.Lifecycle()
			if i := slices.Index(life, cp.stage); i >= 0 {
				cp.accept = life[i+1:]
			}
			if len(cp.accept) == 0 {
				bad("accept", "stage %q is not a standard stage with later stages; list the accepting stages", cp.stage)
			}
		}
		if len(cp.reject) == 0 {
			cp.reject = []lead.Stage{lead.StageRecycled, lead.StageDisqualified}
		}
		for _, s := range cp.accept {
			if slices.Contains(cp.reject, s) || s == cp.stage {
				bad("accept", "stage %q cannot both accept and reject or be the handoff stage", s)
			}
		}
	} else if len(p.Accept) > 0 || len(p.Reject) > 0 {
		bad("accept", "accept and reject apply only to acceptance and quality policies")
	}
	if p.Kind == KindVolume || p.Kind == KindQuality {
		switch p.Period {
		case PeriodWeek, PeriodMonth, PeriodQuarter:
		case "":
			bad("period", "missing; want week, month or quarter")
		default:
			bad("period", "unknown period %q; want week, month or quarter", p.Period)
		}
	} else if p.Period != "" {
		bad("period", "applies only to volume and quality policies")
	}
	if p.Kind == KindVolume {
		if p.Target < 1 {
			bad("target", "%d; a volume policy needs a target of at least 1 lead", p.Target)
		}
	} else if p.Target != 0 {
		bad("target", "applies only to a volume policy")
	}
	if p.Kind == KindQuality {
		if p.Percent.IsNegative() || p.Percent.GreaterThan(decimal.NewFromInt(100)) || p.Percent.IsZero() {
			bad("percent", "%s; want more than 0 and at most 100", p.Percent)
		}
		cp.percent = p.Percent
	} else if !p.Percent.IsZero() {
		bad("percent", "applies only to a quality policy")
	}
	if p.Segment != "" {
		seg, err := rules.CompileLeadBool(p.Segment)
		if err != nil {
			var re *rules.Error
			if errors.As(err, &re) {
				re.Path = path + ".segment"
				errs = append(errs, re)
			} else {
				bad("segment", "%v", err)
			}
		} else {
			cp.segment, cp.hasSegment = seg, true
		}
	}
	return cp, errs
}
