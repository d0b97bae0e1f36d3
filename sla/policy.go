package sla

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
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
	// KindNextResponse: every prospect activity of the Inbound types
	// (a demo request, a reply), from the lead's first entry into Stage
	// on, is followed by a sales touch within Within. Each occurrence is
	// judged on its own and counted in the report.
	KindNextResponse Kind = "next_response"
	// KindPeriodic: while the lead is in one of the During stages, the
	// gap between sales touches (or from entering those stages to the
	// first touch) never exceeds Within.
	KindPeriodic Kind = "periodic"
)

// String returns the kind's name.
func (k Kind) String() string { return string(k) }

// perLead reports whether the kind gives each lead a status.
func (k Kind) perLead() bool {
	switch k {
	case KindResponse, KindAttempts, KindAcceptance, KindNextResponse, KindPeriodic:
		return true
	}
	return false
}

const kindList = "response, attempts, acceptance, next_response, periodic, volume or quality"

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
	// (attempts); in JSON "8h", "30m", "2d" or "1w" (days and weeks are
	// 24 and 168 hours of the policy's clock). Positive, at most 100
	// years.
	Within leadkit.Duration `json:"within,omitzero"`
	// Clock measures Within: business (default) or calendar.
	Clock Clock `json:"clock,omitempty"`
	// WarnBefore marks a pending lead "at risk" when less than this is
	// left before its deadline, in the policy's clock. Zero: never.
	WarnBefore leadkit.Duration `json:"warn_before,omitzero"`
	// WarnAt marks a pending lead "at risk" once this percentage of
	// Within has elapsed (75 for 75%), in the policy's clock: more than
	// 0, at most 100. Zero: never. WarnBefore and WarnAt may be
	// combined; either one makes the lead at risk.
	WarnAt decimal.Decimal `json:"warn_at,omitzero"`
	// Touches lists the activity types that count as sales touches;
	// empty means every activity with an actor.
	Touches []lead.ActivityType `json:"touches,omitempty"`
	// Inbound lists the prospect activity types (activities without an
	// actor) that each need a follow-up under a next_response policy,
	// such as demo_request. Required for next_response only.
	Inbound []lead.ActivityType `json:"inbound,omitempty"`
	// During lists the stages in which a periodic policy requires
	// regular touches, such as SQL and opportunity. Required for
	// periodic only.
	During []lead.Stage `json:"during,omitempty"`
	// PauseIn lists the stages during which the policy's clock stops
	// (response, attempts, acceptance, next_response), such as nurture
	// at the prospect's request: working time and deadlines skip the
	// paused intervals exactly, and [Result.Paused] shows the time
	// skipped. A pause still running at the as-of time is taken to end
	// then, so a paused lead's deadline is the earliest it can be. The
	// clock's own stage cannot pause it.
	PauseIn []lead.Stage `json:"pause_in,omitempty"`
	// EffectiveFrom is when this version of the policy comes into force
	// (per-lead kinds). Several policies with the same Name are versions
	// of one policy: they must share Kind, Team and Stage (During for
	// periodic) and have distinct EffectiveFrom. A lead's clock is judged
	// by the version in force when that clock started (the latest
	// EffectiveFrom at or before the clock start); a clock that started
	// before every version is not judged. The report has one entry per
	// policy name, merging its versions, and each result names its
	// version ([Result.Version]). Zero means since always.
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
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
	// Period is the period of volume and quality policies, in the
	// calendar's zone: week (starting on Monday), month or quarter.
	Period leadkit.Period `json:"period,omitempty"`
	// Target is the number of leads per period of a volume policy.
	Target int `json:"target,omitempty"`
	// Percent is the share of handed-off leads a quality policy requires
	// sales to accept, from 0 to 100.
	Percent decimal.Decimal `json:"percent,omitzero"`
	// Segment restricts the policy to the leads for which this boolean
	// expression (the scoring rule language, over the lead as of the
	// report's as-of time) is true; empty means every lead. Besides the
	// lead's names (company.employees, source.channel, fields.region,
	// ...) it may use the scores a host supplies with
	// [Compliance.AddScored] and [Checker.CheckScored]: fit, engagement,
	// total and grade (see [Scores]).
	Segment string `json:"segment,omitempty"`
}

// DefaultMaxBreaches is the number of breaches a [Report] lists per
// policy and per team when [Agreement.MaxBreaches] is zero.
const DefaultMaxBreaches = 100

// MaxMaxBreaches is the largest [Agreement.MaxBreaches] Validate
// accepts: it bounds the accumulator's state.
const MaxMaxBreaches = 10000

// TeamCalendar is the business calendar of some owners: the reps of a
// team in another office, or one rep's own hours. A clock runs on the
// calendar of the lead's owner when the clock started
// ([lead.Lead.OwnerAt]: from the lead's Assignments, or its current Owner
// when it records none), and its result and counts are that owner's: a
// lead handed off to another rep keeps the calendar and owner of the
// clocks already running, and new clocks run on the new owner's. A
// periodic policy uses the owner when the lead entered its stages. Each
// result names the calendar it ran on ([Result.Calendar]). Volume and
// quality periods always use the agreement's default calendar.
type TeamCalendar struct {
	// Name identifies the calendar in results ("singapore"). Required
	// and unique.
	Name string `json:"name"`
	// Owners lists the owner ids (Lead.Owner values) on this calendar;
	// an owner may be on one calendar only. Required.
	Owners []string `json:"owners"`
	// Calendar is the business calendar.
	Calendar Calendar `json:"calendar"`
}

// Agreement is the whole service-level agreement as plain data: the
// business calendar and the policies measured on it.
type Agreement struct {
	// Calendar is the business calendar of the business clocks and of
	// the periods.
	Calendar Calendar `json:"calendar"`
	// Policies are the promises, reported in this order.
	Policies []Policy `json:"policies"`
	// Calendars gives owners (sales reps, or the reps of a team) their
	// own business calendars; a lead whose owner no entry lists runs on
	// Calendar, the default. See [TeamCalendar].
	Calendars []TeamCalendar `json:"calendars,omitempty"`
	// MaxBreaches caps the breach list kept per policy (and reported per
	// team): the accumulator keeps the MaxBreaches latest breaches (by
	// lateness, then lead id), the same ones whatever the order leads
	// are added or accumulators merged, and counts every breach. Zero
	// means [DefaultMaxBreaches]; at most [MaxMaxBreaches].
	MaxBreaches int `json:"max_breaches,omitempty"`
}

// Validate reports every problem of the agreement as a *[leadkit.Error]
// with its JSON path ("policies[2].within"), joined with errors.Join.
func (a Agreement) Validate() error {
	_, err := Compile(a)
	return err
}

// ParseAgreement decodes an agreement from JSON strictly: an unknown
// field is an error naming its path (a misspelt "warn_befor" is not
// silently dropped), and so is trailing data. It then validates the
// agreement. Every error is a *[leadkit.Error].
func ParseAgreement(data []byte) (Agreement, error) {
	var a Agreement
	if err := jsonstrict.Decode(data, &a, "agreement"); err != nil {
		return Agreement{}, err
	}
	if err := a.Validate(); err != nil {
		return Agreement{}, err
	}
	return a, nil
}

// clone returns a deep copy of a.
func (a Agreement) clone() Agreement {
	a.Calendar = a.Calendar.clone()
	if a.Calendars != nil {
		cs := make([]TeamCalendar, len(a.Calendars))
		for i, c := range a.Calendars {
			c.Owners = slices.Clone(c.Owners)
			c.Calendar = c.Calendar.clone()
			cs[i] = c
		}
		a.Calendars = cs
	}
	if a.Policies != nil {
		ps := make([]Policy, len(a.Policies))
		for i, p := range a.Policies {
			p.Touches = slices.Clone(p.Touches)
			p.Inbound = slices.Clone(p.Inbound)
			p.During = slices.Clone(p.During)
			p.PauseIn = slices.Clone(p.PauseIn)
			p.Accept = slices.Clone(p.Accept)
			p.Reject = slices.Clone(p.Reject)
			ps[i] = p
		}
		a.Policies = ps
	}
	return a
}

// policy is a compiled Policy.
type policy struct {
	def        Policy
	kind       Kind
	perLead    bool
	team       lead.Team
	stage      lead.Stage
	stageIdx   int // index of stage in Checker.stages
	within     time.Duration
	business   bool
	warn       time.Duration
	touches    []lead.ActivityType
	accept     []lead.Stage
	reject     []lead.Stage
	percent    decimal.Decimal
	segment    *rules.ScoredBool
	hasSegment bool
	warnAt     time.Duration // at risk once this much elapsed; 0: never
	from       int64         // EffectiveFrom as Unix ns; minInt64 when zero
	group      int           // index in Checker.groups
}

// group is the versions of one policy name, by EffectiveFrom.
type group struct {
	name     string
	versions []int // indexes in Checker.policies, by EffectiveFrom
}

// named is a compiled TeamCalendar.
type named struct {
	name string
	cal  *Schedule
}

// Checker is a compiled [Agreement]: it gives each lead its status under
// each policy ([Checker.Check]) and builds [Compliance] accumulators. It
// is immutable and safe for concurrent use.
type Checker struct {
	def         Agreement
	cal         *Schedule
	policies    []policy
	groups      []group
	stages      []lead.Stage // the distinct stages of the policies
	calendars   []named
	owners      map[string]int // owner -> index in calendars
	maxBreaches int
	fingerprint string
}

// Compile checks the agreement and compiles it: the calendar once, each
// policy's durations and segment expression once.
// Every error is a *[leadkit.Error] with its JSON path, joined with
// errors.Join; a segment expression's error also carries its line and
// column.
func Compile(a Agreement) (*Checker, error) {
	a = a.clone()
	var errs []error
	cal, err := CompileCalendar(a.Calendar)
	if err != nil {
		errs = append(errs, leadkit.Prefix("calendar", err))
	}
	ch := &Checker{def: a, cal: cal, maxBreaches: a.MaxBreaches}
	if ch.maxBreaches == 0 {
		ch.maxBreaches = DefaultMaxBreaches
	}
	if a.MaxBreaches < 0 || a.MaxBreaches > MaxMaxBreaches {
		errs = append(errs, leadkit.Errorf("max_breaches", "%d; want 0 (the default, %d) to %d", a.MaxBreaches, DefaultMaxBreaches, MaxMaxBreaches))
	}
	cnames := map[string]int{}
	ch.owners = map[string]int{}
	for i, tc := range a.Calendars {
		path := fmt.Sprintf("calendars[%d]", i)
		if tc.Name == "" {
			errs = append(errs, leadkit.Errorf(path+".name", "missing; every calendar needs a name for the results"))
		} else if j, dup := cnames[tc.Name]; dup {
			errs = append(errs, leadkit.Errorf(path+".name", "%q is already the name of calendars[%d]", tc.Name, j))
		}
		cnames[tc.Name] = i
		if len(tc.Owners) == 0 {
			errs = append(errs, leadkit.Errorf(path+".owners", "none; list the owners on this calendar"))
		}
		for k, o := range tc.Owners {
			if j, dup := ch.owners[o]; dup {
				errs = append(errs, leadkit.Errorf(fmt.Sprintf("%s.owners[%d]", path, k), "owner %q is already on calendars[%d]", o, j))
			}
			ch.owners[o] = i
		}
		s, err := CompileCalendar(tc.Calendar)
		if err != nil {
			errs = append(errs, leadkit.Prefix(path+".calendar", err))
		}
		ch.calendars = append(ch.calendars, named{name: tc.Name, cal: s})
	}
	names := map[string]int{}
	for i, p := range a.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		cp, perrs := compilePolicy(path, p)
		errs = append(errs, perrs...)
		if p.Name != "" {
			if j, dup := names[p.Name]; dup {
				g0 := ch.groups[j].versions[0]
				q := &ch.policies[g0]
				switch {
				case !cp.perLead || !q.perLead:
					errs = append(errs, leadkit.Errorf(path+".name", "%q is already the name of policies[%d]; only response, attempts, acceptance, next_response and periodic policies have versions", p.Name, g0))
				case cp.kind != q.kind || cp.team != q.team || cp.stage != q.stage || !slices.Equal(p.During, q.def.During):
					errs = append(errs, leadkit.Errorf(path+".name", "%q is already the name of policies[%d], with another kind, team or stage; versions of a policy share them", p.Name, g0))
				default:
					for _, v := range ch.groups[j].versions {
						if ch.policies[v].def.EffectiveFrom.Equal(p.EffectiveFrom) {
							errs = append(errs, leadkit.Errorf(path+".effective_from", "policies[%d], a version of %q, takes effect at the same instant", v, p.Name))
						}
					}
				}
				cp.group = j
				ch.groups[j].versions = append(ch.groups[j].versions, i)
			} else {
				names[p.Name] = len(ch.groups)
				cp.group = len(ch.groups)
				ch.groups = append(ch.groups, group{name: p.Name, versions: []int{i}})
			}
		} else {
			cp.group = len(ch.groups)
			ch.groups = append(ch.groups, group{versions: []int{i}})
		}
		cp.stageIdx = -1
		if cp.kind != KindPeriodic {
			cp.stageIdx = slices.Index(ch.stages, cp.stage)
			if cp.stageIdx < 0 {
				cp.stageIdx = len(ch.stages)
				ch.stages = append(ch.stages, cp.stage)
			}
		}
		ch.policies = append(ch.policies, cp)
	}
	for gi := range ch.groups {
		g := &ch.groups[gi]
		slices.SortStableFunc(g.versions, func(x, y int) int { return cmp.Compare(ch.policies[x].from, ch.policies[y].from) })
	}
	if len(a.Policies) == 0 {
		errs = append(errs, leadkit.Errorf("policies", "none; add at least one policy"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ch.fingerprint = fingerprint(ch.canonical())
	return ch, nil
}

// canonical returns the agreement with every default filled in: the
// form whose JSON the fingerprint hashes.
func (ch *Checker) canonical() Agreement {
	a := ch.def.clone()
	if a.Calendar.Zone == "" {
		a.Calendar.Zone = leadkit.UTC
	}
	a.MaxBreaches = ch.maxBreaches
	for i := range a.Policies {
		p, cp := &a.Policies[i], &ch.policies[i]
		p.Team, p.Stage = cp.team, cp.stage
		if cp.perLead {
			p.Clock = ClockBusiness
			if !cp.business {
				p.Clock = ClockCalendar
			}
		}
		if p.Kind == KindAcceptance || p.Kind == KindQuality {
			p.Accept, p.Reject = slices.Clone(cp.accept), slices.Clone(cp.reject)
		}
		if !p.Percent.IsZero() {
			// 60 and 60.0 are the same promise.
			p.Percent = decimal.RequireFromString(p.Percent.String())
		}
	}
	return a
}

// fingerprint returns the hex SHA-256 of a's JSON.
func fingerprint(a Agreement) string {
	b, err := json.Marshal(a)
	if err != nil {
		// Unreachable: every field of a compiled agreement marshals.
		b = []byte(err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Fingerprint returns the hex SHA-256 of the canonical JSON of the
// agreement (with its defaults filled in). Two checkers with the same
// fingerprint judge every lead alike; [Compliance.Merge] and decoding
// check it. A nil Checker returns "".
func (ch *Checker) Fingerprint() string {
	if ch == nil {
		return ""
	}
	return ch.fingerprint
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

// Agreement returns a deep copy of the definition the checker was
// compiled from, as given (defaults not filled in): changing it does not
// change the checker. A nil Checker returns the zero Agreement.
func (ch *Checker) Agreement() Agreement {
	if ch == nil {
		return Agreement{}
	}
	return ch.def.clone()
}

// Schedule returns the compiled business calendar; nil for a nil
// Checker.
func (ch *Checker) Schedule() *Schedule {
	if ch == nil {
		return nil
	}
	return ch.cal
}

func compilePolicy(path string, p Policy) (policy, []error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, leadkit.Errorf(path+"."+field, format, args...))
	}
	cp := policy{def: p, kind: p.Kind, perLead: p.Kind.perLead(), team: p.Team, stage: p.Stage, business: true}
	if p.Name == "" {
		bad("name", "missing; every policy needs a name for the reports")
	}
	cp.from = math.MinInt64
	switch p.Kind {
	case KindResponse, KindAttempts, KindAcceptance, KindNextResponse, KindPeriodic:
		if cp.team == "" {
			cp.team = lead.TeamSales
		}
	case KindVolume, KindQuality:
		if cp.team == "" {
			cp.team = lead.TeamMarketing
		}
	case "":
		bad("kind", "missing; want %s", kindList)
	default:
		bad("kind", "unknown kind %q; want %s", p.Kind, kindList)
	}
	if p.Team != "" && !p.Team.IsValid() {
		bad("team", "unknown team %q; want marketing or sales", p.Team)
	}
	if p.Kind == KindPeriodic {
		if p.Stage != "" {
			bad("stage", "does not apply to a periodic policy; list its stages in during")
		}
		if len(p.During) == 0 {
			bad("during", "missing; list the stages in which the lead needs regular touches")
		}
		cp.stage = ""
	} else {
		if len(p.During) > 0 {
			bad("during", "applies only to a periodic policy")
		}
		if cp.stage == "" {
			cp.stage = lead.StageMQL
		}
	}
	switch p.Clock {
	case "", ClockBusiness:
	case ClockCalendar:
		cp.business = false
	default:
		bad("clock", "unknown clock %q; want business or calendar", p.Clock)
	}
	if p.Kind.perLead() {
		// Within is bounded by the calendar's range: no longer promise
		// can have a deadline.
		const maxWithin = 100 * 365 * 24 * time.Hour
		switch d := p.Within.Std(); {
		case d == 0:
			bad("within", "missing; give the time allowed, such as \"8h\"")
		case d < 0:
			bad("within", "%q is not positive", p.Within)
		case d > maxWithin:
			bad("within", "%q is longer than 100 years", p.Within)
		default:
			cp.within = d
		}
		if d := p.WarnBefore.Std(); d < 0 {
			bad("warn_before", "%q is negative", p.WarnBefore)
		} else {
			cp.warn = d
		}
		if !p.WarnAt.IsZero() {
			if !p.WarnAt.IsPositive() || p.WarnAt.GreaterThan(decimal.NewFromInt(100)) {
				bad("warn_at", "%s; want a percentage of within, more than 0 and at most 100", p.WarnAt)
			} else if cp.within > 0 {
				// Rounded up to the nanosecond: at risk once at least
				// that share has elapsed.
				cp.warnAt = time.Duration(decimal.NewFromInt(int64(cp.within)).Mul(p.WarnAt).Div(decimal.NewFromInt(100)).Ceil().IntPart())
			}
		}
		if !p.EffectiveFrom.IsZero() {
			if p.EffectiveFrom.Before(minInstant) || p.EffectiveFrom.After(maxInstant) {
				bad("effective_from", "%s is outside the supported range 1950 to 2200", p.EffectiveFrom.Format(time.RFC3339))
			} else {
				cp.from = p.EffectiveFrom.UnixNano()
			}
		}
		if len(p.PauseIn) > 0 {
			switch {
			case p.Kind == KindPeriodic:
				bad("pause_in", "does not apply to a periodic policy: its clock runs only in its during stages")
			case slices.Contains(p.PauseIn, cp.stage):
				bad("pause_in", "stage %q starts the clock and cannot pause it", cp.stage)
			}
		}
	} else {
		for _, f := range []struct {
			name string
			set  bool
		}{{"within", p.Within != 0}, {"clock", p.Clock != ""}, {"warn_before", p.WarnBefore != 0},
			{"warn_at", !p.WarnAt.IsZero()}, {"pause_in", len(p.PauseIn) > 0}, {"effective_from", !p.EffectiveFrom.IsZero()}} {
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
	switch p.Kind {
	case KindResponse, KindAttempts, KindNextResponse, KindPeriodic:
		cp.touches = p.Touches
	default:
		if len(p.Touches) > 0 {
			bad("touches", "applies only to response, attempts, next_response and periodic policies")
		}
	}
	if p.Kind == KindNextResponse {
		if len(p.Inbound) == 0 {
			bad("inbound", "missing; list the prospect activity types that need a follow-up, such as demo_request")
		}
	} else if len(p.Inbound) > 0 {
		bad("inbound", "applies only to a next_response policy")
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
		case leadkit.Week, leadkit.Month, leadkit.Quarter:
		case "":
			bad("period", "missing; want week, month or quarter")
		default:
			bad("period", "unsupported period %q; want week, month or quarter", p.Period)
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
		seg, err := rules.CompileScoredBool(p.Segment)
		if err != nil {
			var re *rules.Error
			if errors.As(err, &re) {
				e := *re
				e.Path = path + ".segment"
				errs = append(errs, &e)
			} else {
				bad("segment", "%v", err)
			}
		} else {
			cp.segment, cp.hasSegment = seg, true
		}
	}
	return cp, errs
}
