package sla

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
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

// Agreement is the whole service-level agreement as plain data: the
// business calendar and the policies measured on it.
type Agreement struct {
	// Calendar is the business calendar of the business clocks and of
	// the periods.
	Calendar Calendar `json:"calendar"`
	// Policies are the promises, reported in this order.
	Policies []Policy `json:"policies"`
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
	if err := decodeStrict(data, &a); err != nil {
		return Agreement{}, err
	}
	if err := a.Validate(); err != nil {
		return Agreement{}, err
	}
	return a, nil
}

// decodeStrict decodes data into v refusing unknown fields and trailing
// data, as a *leadkit.Error.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
			// encoding/json does not say where: find the field's path.
			var tree any
			if json.Unmarshal(data, &tree) == nil {
				if path := unknownPath(tree, reflect.TypeOf(v), ""); path != "" {
					name := path[strings.LastIndexAny(path, ".[")+1:]
					return &leadkit.Error{Path: path, Msg: fmt.Sprintf("unknown field %q; check its spelling", strings.TrimSuffix(name, "]")), Err: err}
				}
			}
		}
		return jsonError(err)
	}
	if dec.More() {
		return leadkit.Errorf("", "unexpected data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return leadkit.Errorf("", "unexpected data after the JSON value")
	}
	return nil
}

// unknownPath returns the path of the first key in the decoded JSON tree
// that type t has no field for, or "".
func unknownPath(tree any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return "" // decodes itself
	}
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := tree.(map[string]any)
		if !ok {
			return ""
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields[strings.ToLower(name)] = f.Type
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			ft, ok := fields[strings.ToLower(k)]
			if !ok {
				return join(k)
			}
			if p := unknownPath(obj[k], ft, join(k)); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		arr, ok := tree.([]any)
		if !ok {
			return ""
		}
		for i, e := range arr {
			if p := unknownPath(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		obj, ok := tree.(map[string]any)
		if !ok {
			return ""
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if p := unknownPath(obj[k], t.Elem(), join(k)); p != "" {
				return p
			}
		}
	}
	return ""
}

// jsonError turns an encoding/json error into a *leadkit.Error with the
// path of the offending field where encoding/json gives it.
func jsonError(err error) error {
	var le *leadkit.Error
	if errors.As(err, &le) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return &leadkit.Error{Path: te.Field, Msg: fmt.Sprintf("cannot use JSON %s as %s", te.Value, te.Type), Err: err}
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name, _ := strconv.Unquote(f)
		return &leadkit.Error{Path: name, Msg: fmt.Sprintf("unknown field %s; check its spelling", f), Err: err}
	}
	return &leadkit.Error{Msg: msg, Err: err}
}

// clone returns a deep copy of a.
func (a Agreement) clone() Agreement {
	a.Calendar = a.Calendar.clone()
	if a.Policies != nil {
		ps := make([]Policy, len(a.Policies))
		for i, p := range a.Policies {
			p.Touches = slices.Clone(p.Touches)
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
}

// Checker is a compiled [Agreement]: it gives each lead its status under
// each policy ([Checker.Check]) and builds [Compliance] accumulators. It
// is immutable and safe for concurrent use.
type Checker struct {
	def         Agreement
	cal         *Schedule
	policies    []policy
	stages      []lead.Stage // the distinct stages of the policies
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
	names := map[string]int{}
	for i, p := range a.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		cp, perrs := compilePolicy(path, p)
		errs = append(errs, perrs...)
		if p.Name != "" {
			if j, dup := names[p.Name]; dup {
				errs = append(errs, leadkit.Errorf(path+".name", "%q is already the name of policies[%d]", p.Name, j))
			}
			names[p.Name] = i
		}
		cp.stageIdx = slices.Index(ch.stages, cp.stage)
		if cp.stageIdx < 0 {
			cp.stageIdx = len(ch.stages)
			ch.stages = append(ch.stages, cp.stage)
		}
		ch.policies = append(ch.policies, cp)
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
	} else {
		for _, f := range []struct {
			name string
			set  bool
		}{{"within", p.Within != 0}, {"clock", p.Clock != ""}, {"warn_before", p.WarnBefore != 0}} {
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
