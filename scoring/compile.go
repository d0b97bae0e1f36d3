package scoring

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/leadkit/leadkit/internal/rules"
	"github.com/leadkit/leadkit/lead"
)

// Scorer is a compiled [Model]. It is immutable and safe for concurrent
// use by multiple goroutines.
type Scorer struct {
	model       Model
	fingerprint string
	fit         []compiledRule
	eng         []compiledRule
	nrules      int
	grades      []GradeBand
	bands       []GradeBand
	cells       [][]string // [grade][band]: the matrix cell names
	resets      []compiledReset
	nlimited    int // engagement rules with a frequency limit
	stages      []compiledStage
	personas    []compiledCriterion
	maxCriteria int
	warnings    []Warning
	ranges      Ranges
	budget      Budget
	cost        Cost
	set         *rules.Set
	pool        sync.Pool // of *worker
}

// Budget bounds what a model's rules may cost for one lead. Rule text is
// untrusted: without a bound, one rule (nested loops over ranges, a
// regular expression over a long string in a loop) could take minutes
// or gigabytes per lead. A rule that exceeds the budget fails for that
// lead with a *[RuleError] whose cause is [ErrStepBudget] or
// [ErrMemoryBudget], positioned in the rule. The zero value of each field
// means its default ([DefaultBudget]).
type Budget struct {
	// Steps is the most work the model's expressions may do for one
	// lead, all rules, criteria and personas together. A step is about
	// one node of an expression's syntax tree evaluated once on expr's
	// VM (tens of nanoseconds); loops are charged the size of their body
	// per iteration, and regular expressions and string operations the
	// size of what they walk. Expressions compiled to native closures
	// (comparisons of fields with constants, helpers, and/or/not) are
	// not metered: their work is linear in the rule's size and the
	// lead's data.
	Steps int64
	// Memory is the most bytes one evaluation of one expression may
	// build: arrays (counted at 16 bytes an element) and strings and
	// slices (their length) get half each.
	Memory int64
}

// DefaultBudget returns the budget used when none is given: 1,000,000
// steps per lead (about 10 to 60 ms of VM time in the worst case) and
// 8 MiB per evaluation, ample for a lead with 10,000 activities walked a
// few times.
func DefaultBudget() Budget {
	l := rules.DefaultLimits()
	return Budget{Steps: l.Steps, Memory: l.Memory}
}

// ErrStepBudget is the cause of a rule's runtime error when the rules of
// one lead exceed [Budget.Steps]; test for it with errors.Is.
var ErrStepBudget = rules.ErrStepBudget

// ErrMemoryBudget is the cause of a rule's runtime error when one
// evaluation exceeds [Budget.Memory]; test for it with errors.Is.
var ErrMemoryBudget = rules.ErrMemoryBudget

// Option configures [Compile].
type Option func(*options)

type options struct {
	budget Budget
}

// WithBudget sets the cost budget per lead (see [Budget]); zero fields
// keep their defaults, and a negative field is an error at Compile.
func WithBudget(b Budget) Option { return func(o *options) { o.budget = b } }

// Cost is a compiled model's static cost bound, in steps (see
// [Budget.Steps]). Scoring one lead with n activities costs at most
// PerLead + n × PerActivity steps when Variable is false; when Variable
// is true some expression loops or walks data, and its cost per lead is
// bounded only by the budget. Either way no lead costs more than
// [Scorer.Budget].Steps.
type Cost struct {
	// PerLead is the steps charged per lead for the fit rules,
	// qualification criteria and personas, if all ran on the VM.
	PerLead int64
	// PerActivity is the steps charged per activity for the engagement
	// rules, if all ran on the VM.
	PerActivity int64
	// Variable reports whether an expression's cost depends on the data
	// (a loop over activities, a regular expression, a string operation).
	Variable bool
}

// MaxPoints is the largest magnitude Compile accepts for points, caps,
// limits and grade bounds: 1e12. With every rule within it, no sum over
// any number of activities can reach ±Inf, so a Result is always
// finite.
const MaxPoints = 1e12

type compiledRule struct {
	index    int // in Model.Rules
	name     string
	kind     Kind
	prog     *rules.Program
	points   float64
	within   time.Duration
	halfLife time.Duration
	max, min *float64
	types    []string // only activities of these types can match; nil: any
	exact    bool     // the rule is only the type test: no evaluation needed
	freq     *compiledFreq
}

// compiledFreq is a rule's frequency limit, ready to apply.
type compiledFreq struct {
	slot     int // index of the rule's hit buffer in the worker
	max      int
	per      leadkit.Period // "" for none
	loc      *time.Location
	window   time.Duration // 0 for none
	distinct distinctField
}

// distinctField is the activity field a frequency limit groups by.
type distinctField struct {
	kind  byte   // 0 none, 'c' campaign, 'u' url, 't' type, 'a' actor, 'f' fields
	field string // the custom field's name for 'f'
}

// compiledReset is one reset or adjustment, ready to apply.
type compiledReset struct {
	name       string
	adjust     bool
	points     float64
	stage      lead.Stage
	prog       *rules.Program // the When expression, or nil
	types      []string
	exact      bool
	month, day int // Yearly; 0 for none
	loc        *time.Location
}

type compiledCriterion struct {
	name string
	prog *rules.Program
}

type compiledStage struct {
	stage    lead.Stage
	criteria []compiledCriterion
}

// Warning is a lint finding: the model compiles, but something in it is
// probably not what its author meant.
type Warning struct {
	Path string // "rules[2].when"
	Msg  string
}

// String returns "path: message".
func (w Warning) String() string { return w.Path + ": " + w.Msg }

// Range is the interval of values a score can take given the model's
// rules and caps; Min or Max is ±Inf when unbounded.
type Range struct {
	Min, Max float64 // the lowest and highest reachable values
}

// Ranges are the reachable ranges of the fit, engagement and total scores.
type Ranges struct {
	Fit, Engagement, Total Range // after the group and total limits
}

// Compile validates the model and compiles its expressions. It reports
// every problem at once, joined with errors.Join, each naming its path
// ("rules[3].when: unknown name ..."); expression errors are positioned
// with line, column and a caret snippet. Lint findings that do not stop
// compilation are available from [Scorer.Warnings].
//
// Options set the cost budget per lead ([WithBudget]).
func Compile(m Model, opts ...Option) (*Scorer, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	m = m.clone() // the scorer shares no memory with the caller's model
	s := &Scorer{model: m, set: &rules.Set{}}
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, &leadkit.Error{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if o.budget.Steps < 0 {
		add("budget.steps", "must not be negative, got %d", o.budget.Steps)
	}
	if o.budget.Memory < 0 {
		add("budget.memory", "must not be negative, got %d", o.budget.Memory)
	}
	lim := rules.Limits{Steps: o.budget.Steps, Memory: o.budget.Memory}.WithDefaults()
	s.set.Limits = lim
	s.budget = Budget{Steps: lim.Steps, Memory: lim.Memory}
	compile := func(src string, scope rules.Scope, path string) *rules.Program {
		p, err := s.set.Compile(src, rules.Options{Scope: scope, Path: path})
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		return p
	}
	finite := func(path string, v *float64) {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			add(path, "must be a finite number")
		} else if v != nil && math.Abs(*v) > MaxPoints {
			add(path, "%g is out of range: the limit is ±%g", *v, float64(MaxPoints))
		}
	}
	dur := func(path string, v leadkit.Duration) time.Duration {
		d := v.Std()
		switch {
		case d < 0:
			add(path, "must be positive, got %q", v)
		case d > rules.MaxDuration:
			add(path, "%q is longer than %v", v, leadkit.Duration(rules.MaxDuration))
		}
		return d
	}

	names := map[string]int{}
	for i, r := range m.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		if r.Name == "" {
			add(p+".name", "empty")
		} else if j, dup := names[r.Name]; dup {
			s.warnings = append(s.warnings, Warning{p + ".name", fmt.Sprintf("duplicate of rules[%d].name %q: explanations cannot tell them apart", j, r.Name)})
		} else {
			names[r.Name] = i
		}
		finite(p+".points", &r.Points)
		finite(p+".max", r.Max)
		finite(p+".min", r.Min)
		if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			add(p, "min %g is greater than max %g", *r.Min, *r.Max)
		}
		cr := compiledRule{index: i, name: r.Name, kind: r.Kind, points: r.Points, max: r.Max, min: r.Min}
		switch r.Kind {
		case "", Fit:
			cr.kind = Fit
			for _, f := range []struct {
				name string
				set  bool
			}{{"within", r.Within != 0}, {"half_life", r.HalfLife != 0}, {"max", r.Max != nil}, {"min", r.Min != nil}, {"frequency", r.Frequency != nil}} {
				if f.set {
					add(p+"."+f.name, "applies to engagement rules only")
				}
			}
			cr.prog = compile(r.When, rules.ScopeLead, p+".when")
			if cr.prog != nil {
				s.fit = append(s.fit, cr)
			}
		case Engagement:
			cr.within = dur(p+".within", r.Within)
			cr.halfLife = dur(p+".half_life", r.HalfLife)
			cr.prog = compile(r.When, rules.ScopeActivity, p+".when")
			if r.Frequency != nil {
				cr.freq = compileFreq(*r.Frequency, p+".frequency", add, dur)
				cr.freq.slot = s.nlimited
				s.nlimited++
			}
			if cr.prog != nil {
				cr.types, cr.exact = cr.prog.ActivityTypes()
				s.eng = append(s.eng, cr)
			}
		default:
			add(p+".kind", "unknown kind %q; want %q or %q", r.Kind, Fit, Engagement)
		}
	}
	s.nrules = len(m.Rules)
	for _, l := range []struct {
		path string
		lim  Limit
	}{{"limits.fit", m.Limits.Fit}, {"limits.engagement", m.Limits.Engagement}, {"limits.total", m.Limits.Total}} {
		finite(l.path+".min", l.lim.Min)
		finite(l.path+".max", l.lim.Max)
		if l.lim.Min != nil && l.lim.Max != nil && *l.lim.Min > *l.lim.Max {
			add(l.path, "min %g is greater than max %g", *l.lim.Min, *l.lim.Max)
		}
	}
	validateGrades(m.Grades, add)
	for _, g := range []struct {
		name  string
		bands []GradeBand
	}{{"grades", m.Grades}, {"bands", m.Bands}} {
		for i, b := range g.bands {
			for _, v := range []struct {
				f string
				x *float64
			}{{"min", b.Min}, {"max", b.Max}} {
				if v.x != nil && !math.IsNaN(*v.x) && !math.IsInf(*v.x, 0) && math.Abs(*v.x) > MaxPoints {
					add(fmt.Sprintf("%s[%d].%s", g.name, i, v.f), "%g is out of range: the limit is ±%g", *v.x, float64(MaxPoints))
				}
			}
		}
	}
	s.grades = m.Grades
	s.cells = make([][]string, len(m.Grades))
	for i, g := range m.Grades {
		s.cells[i] = make([]string, len(m.Bands))
		for j, b := range m.Bands {
			s.cells[i][j] = g.Grade + b.Grade
		}
	}
	validateBands(m.Bands, "bands", add)
	s.bands = m.Bands

	rnames := map[string]int{}
	for i, rs := range m.Resets {
		p := fmt.Sprintf("resets[%d]", i)
		if rs.Name == "" {
			add(p+".name", "empty")
		} else if j, dup := rnames[rs.Name]; dup {
			add(p+".name", "duplicate of resets[%d].name %q", j, rs.Name)
		} else {
			rnames[rs.Name] = i
		}
		cr := compiledReset{name: rs.Name, points: rs.Points, stage: rs.Stage}
		finite(p+".points", &rs.Points)
		switch rs.Action {
		case "", ResetEngagement:
			if rs.Points != 0 {
				add(p+".points", "applies to action %q only; a reset sets engagement to zero", AdjustEngagement)
			}
		case AdjustEngagement:
			cr.adjust = true
		default:
			add(p+".action", "unknown action %q; want %q or %q", rs.Action, ResetEngagement, AdjustEngagement)
		}
		triggers := 0
		if rs.Stage != "" {
			triggers++
		}
		if rs.When != "" {
			triggers++
			if cr.prog = compile(rs.When, rules.ScopeActivity, p+".when"); cr.prog != nil {
				cr.types, cr.exact = cr.prog.ActivityTypes()
			}
		}
		if rs.Yearly != "" {
			triggers++
			mo, d, ok := parseMonthDay(rs.Yearly)
			if !ok {
				add(p+".yearly", "%q is not a date of the year written MM-DD (01-01 to 12-31; not 02-29)", rs.Yearly)
			}
			cr.month, cr.day = mo, d
		} else if rs.Zone != "" {
			add(p+".zone", "applies to yearly resets only")
		}
		loc, err := rs.Zone.Location()
		if err != nil {
			add(p+".zone", "%v", err)
		}
		cr.loc = loc
		if triggers != 1 {
			add(p, "needs exactly one of stage, when and yearly; %d are set", triggers)
		}
		s.resets = append(s.resets, cr)
	}

	seen := map[lead.Stage]int{}
	for i, q := range m.Qualification {
		p := fmt.Sprintf("qualification[%d]", i)
		if q.Stage == "" {
			add(p+".stage", "empty")
		} else if j, dup := seen[q.Stage]; dup {
			add(p+".stage", "duplicate of qualification[%d].stage %q", j, q.Stage)
		} else {
			seen[q.Stage] = i
		}
		if len(q.Criteria) == 0 {
			add(p+".criteria", "empty: a stage needs at least one criterion")
		}
		cs := compiledStage{stage: q.Stage}
		cnames := map[string]bool{}
		for j, c := range q.Criteria {
			cp := fmt.Sprintf("%s.criteria[%d]", p, j)
			if c.Name == "" {
				add(cp+".name", "empty")
			} else if cnames[c.Name] {
				add(cp+".name", "duplicate criterion %q", c.Name)
			}
			cnames[c.Name] = true
			if prog := compile(c.When, rules.ScopeQualify, cp+".when"); prog != nil {
				cs.criteria = append(cs.criteria, compiledCriterion{c.Name, prog})
			}
		}
		s.maxCriteria = max(s.maxCriteria, len(cs.criteria))
		s.stages = append(s.stages, cs)
	}
	pnames := map[string]int{}
	for i, pe := range m.Personas {
		p := fmt.Sprintf("personas[%d]", i)
		if pe.Name == "" {
			add(p+".name", "empty")
		} else if j, dup := pnames[pe.Name]; dup {
			add(p+".name", "duplicate of personas[%d].name %q", j, pe.Name)
		} else {
			pnames[pe.Name] = i
		}
		if prog := compile(pe.Criteria, rules.ScopeLead, p+".criteria"); prog != nil {
			s.personas = append(s.personas, compiledCriterion{pe.Name, prog})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	s.fingerprint = fingerprint(m)
	s.lint()
	s.cost = s.staticCost()
	set, neng, nlim := s.set, len(s.eng), s.nlimited
	s.pool.New = func() any {
		return &worker{c: set.NewCtx(), n: make([]int, neng), dec: make([]float64, neng), hits: make([][]hit, nlim)}
	}
	return s, nil
}

// staticCost adds up the expressions' fixed costs.
func (s *Scorer) staticCost() Cost {
	var c Cost
	lead := func(p *rules.Program) {
		f, v := p.Cost()
		c.PerLead += f
		c.Variable = c.Variable || v
	}
	for _, r := range s.fit {
		lead(r.prog)
	}
	for _, st := range s.stages {
		for _, cc := range st.criteria {
			lead(cc.prog)
		}
	}
	for _, p := range s.personas {
		lead(p.prog)
	}
	for _, r := range s.resets {
		if r.prog == nil || r.exact {
			continue
		}
		f, v := r.prog.Cost()
		c.PerActivity += f
		c.Variable = c.Variable || v
	}
	for _, r := range s.eng {
		if r.exact {
			continue // a type test, never evaluated
		}
		f, v := r.prog.Cost()
		c.PerActivity += f
		c.Variable = c.Variable || v
	}
	return c
}

// Budget returns the cost budget per lead the scorer enforces, with
// defaults filled in.
func (s *Scorer) Budget() Budget {
	if s == nil {
		return Budget{}
	}
	return s.budget
}

// Cost returns the model's static cost bound (see [Cost]).
func (s *Scorer) Cost() Cost {
	if s == nil {
		return Cost{}
	}
	return s.cost
}

// MustCompile is like [Compile] but panics if the model does not compile.
// It is for models written as literals in tests and examples.
func MustCompile(m Model, opts ...Option) *Scorer {
	s, err := Compile(m, opts...)
	if err != nil {
		panic(fmt.Sprintf("scoring: MustCompile(model %q): %v", m.Name, err))
	}
	return s
}

// compileFreq validates a frequency limit and compiles it.
func compileFreq(f Frequency, p string, add func(path, format string, args ...any), dur func(string, leadkit.Duration) time.Duration) *compiledFreq {
	cf := &compiledFreq{max: f.Max, per: f.Per}
	switch {
	case f.Max < 0:
		add(p+".max", "must not be negative, got %d", f.Max)
	case f.Max == 0:
		cf.max = 1
	}
	if f.Per != "" {
		if err := f.Per.Check(); err != nil {
			add(p+".per", "%v", err)
		}
	}
	cf.window = dur(p+".window", f.Window)
	if f.Per != "" && f.Window != 0 {
		add(p, "per and window are exclusive: a count restarts each period, or over a rolling window")
	}
	if f.Zone != "" && f.Per == "" {
		add(p+".zone", "applies with per only")
	}
	loc, err := f.Zone.Location()
	if err != nil {
		add(p+".zone", "%v", err)
	}
	cf.loc = loc
	switch d := f.Distinct; {
	case d == "":
	case d == "campaign":
		cf.distinct.kind = 'c'
	case d == "url":
		cf.distinct.kind = 'u'
	case d == "type":
		cf.distinct.kind = 't'
	case d == "actor":
		cf.distinct.kind = 'a'
	case strings.HasPrefix(d, "fields.") && len(d) > len("fields."):
		cf.distinct = distinctField{kind: 'f', field: d[len("fields."):]}
	default:
		add(p+".distinct", "unknown activity field %q; use campaign, url, type, actor or fields.<name>", d)
	}
	return cf
}

// parseMonthDay parses "MM-DD", a date that every year has.
func parseMonthDay(s string) (month, day int, ok bool) {
	if len(s) != 5 || s[2] != '-' {
		return 0, 0, false
	}
	digits := func(a, b byte) (int, bool) {
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, false
		}
		return int(a-'0')*10 + int(b-'0'), true
	}
	month, ok1 := digits(s[0], s[1])
	day, ok2 := digits(s[3], s[4])
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 {
		return 0, 0, false
	}
	// Days in the month of a common year: 02-29 is refused, since most
	// years do not have it.
	if day > time.Date(2025, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0, 0, false
	}
	return month, day, true
}

func validateGrades(bands []GradeBand, add func(path, format string, args ...any)) {
	validateBands(bands, "grades", add)
}

// validateBands checks bands listed best first under the model field
// name (grades or bands).
func validateBands(bands []GradeBand, name string, add func(path, format string, args ...any)) {
	names := map[string]bool{}
	for i, b := range bands {
		p := fmt.Sprintf("%s[%d]", name, i)
		if b.Grade == "" {
			add(p+".grade", "empty")
		} else if names[b.Grade] {
			add(p+".grade", "duplicate grade %q", b.Grade)
		}
		names[b.Grade] = true
		for _, v := range []struct {
			f string
			x *float64
		}{{"min", b.Min}, {"max", b.Max}} {
			if v.x != nil && (math.IsNaN(*v.x) || math.IsInf(*v.x, 0)) {
				add(p+"."+v.f, "must be a finite number")
			}
		}
		if b.Min != nil && b.Max != nil && *b.Min >= *b.Max {
			add(p, "min %g must be less than max %g", *b.Min, *b.Max)
		}
		if i > 0 && b.Max == nil {
			add(p+".max", "only the first (best) band may have no max")
		}
		if i < len(bands)-1 && b.Min == nil {
			add(p+".min", "only the last (worst) band may have no min")
		}
		if i > 0 {
			prev := bands[i-1]
			if prev.Min != nil && b.Max != nil && *prev.Min != *b.Max {
				if *b.Max > *prev.Min {
					add(p+".max", "%g overlaps %s[%d] (%q starts at %g); bands go from best to worst, each max equal to the previous min", *b.Max, name, i-1, prev.Grade, *prev.Min)
				} else {
					add(p+".max", "%g leaves a gap below %s[%d] (%q starts at %g); each max must equal the previous min", *b.Max, name, i-1, prev.Grade, *prev.Min)
				}
			}
		}
	}
}

// fingerprint is the first 16 hex digits of the SHA-256 of the model's
// canonical JSON encoding: an empty rule kind written as "fit", then
// encoding/json, which writes struct fields in declaration order and
// floats in their shortest exact form, so equal models hash equal.
func fingerprint(m Model) string {
	m.Rules = slices.Clone(m.Rules)
	for i := range m.Rules {
		if m.Rules[i].Kind == "" {
			m.Rules[i].Kind = Fit
		}
		if f := m.Rules[i].Frequency; f != nil && f.Max == 0 {
			g := *f
			g.Max = 1
			m.Rules[i].Frequency = &g
		}
	}
	m.Resets = slices.Clone(m.Resets)
	for i := range m.Resets {
		if m.Resets[i].Action == "" {
			m.Resets[i].Action = ResetEngagement
		}
	}
	b, err := json.Marshal(m)
	if err != nil { // a Model holds only strings, numbers and slices of them
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Model returns a deep copy of the model the scorer was compiled from:
// editing it (to compile a challenger, say) changes nothing in the
// scorer.
func (s *Scorer) Model() Model {
	if s == nil {
		return Model{}
	}
	return s.model.clone()
}

// Fingerprint returns the model's fingerprint: 16 hex digits of the
// SHA-256 of its canonical JSON. Every [Result] carries it, so a stored
// score says which model produced it.
func (s *Scorer) Fingerprint() string {
	if s == nil {
		return ""
	}
	return s.fingerprint
}

// Cells returns the names of the fit × engagement matrix's cells: one
// row per grade of the model, best first, and in each row one cell per
// engagement band, best first ("A1", "A2", ...). It is nil when the model
// has no grades or no bands. The slices are the caller's to modify.
func (s *Scorer) Cells() [][]string {
	if s == nil || len(s.bands) == 0 {
		return nil
	}
	var out [][]string
	for _, row := range s.cells {
		out = append(out, slices.Clone(row))
	}
	return out
}

// Warnings returns the lint findings: rules that can never fire or always
// fire, duplicate rule names, and grade bands or qualification thresholds
// outside the reachable score range (see [Scorer.Ranges]).
func (s *Scorer) Warnings() []Warning {
	if s == nil {
		return nil
	}
	return append([]Warning(nil), s.warnings...)
}

// Ranges returns the reachable range of each score given the rules and
// caps. It assumes rules fire independently, so a range may be wider
// than what real leads can reach, never narrower.
func (s *Scorer) Ranges() Ranges {
	if s == nil {
		return Ranges{}
	}
	return s.ranges
}

func clampRange(r Range, l Limit) Range {
	return Range{clamp(r.Min, l), clamp(r.Max, l)}
}

func clamp(v float64, l Limit) float64 {
	if l.Min != nil && v < *l.Min {
		v = *l.Min
	}
	if l.Max != nil && v > *l.Max {
		v = *l.Max
	}
	return v
}

func (s *Scorer) lint() {
	m := s.model
	warn := func(path, format string, args ...any) {
		s.warnings = append(s.warnings, Warning{path, fmt.Sprintf(format, args...)})
	}
	var fit, eng Range
	for _, r := range s.fit {
		p := fmt.Sprintf("rules[%d].when", r.index)
		v, isConst := r.prog.Constant()
		switch {
		case isConst && v:
			// A rule written as plain `true` is a base score on purpose
			// (a learned model's intercept); only one that turns out
			// constant by accident is worth a warning.
			if strings.TrimSpace(s.model.Rules[r.index].When) != "true" {
				warn(p, "always true: the rule adds %g to every lead", r.points)
			}
			fit.Min += r.points
			fit.Max += r.points
		case isConst:
			warn(p, "always false: the rule never fires")
		default:
			fit.Min += math.Min(0, r.points)
			fit.Max += math.Max(0, r.points)
		}
	}
	for _, r := range s.eng {
		p := fmt.Sprintf("rules[%d].when", r.index)
		v, isConst := r.prog.Constant()
		if isConst && !v {
			warn(p, "always false: the rule never fires")
			continue
		}
		if isConst {
			warn(p, "always true: the rule counts every activity")
		}
		var fired Range // the rule's total when at least one activity matches
		switch {
		case r.points > 0:
			fired = Range{0, math.Inf(1)}
		case r.points < 0:
			fired = Range{math.Inf(-1), 0}
		}
		if f := r.freq; f != nil && f.distinct.kind == 0 && f.per == "" && f.window == 0 {
			// At most max activities ever, each worth at most points
			// (decay only brings points towards zero).
			b := r.points * float64(f.max)
			fired = Range{math.Min(0, b), math.Max(0, b)}
		}
		fired = clampRange(fired, Limit{Min: r.min, Max: r.max})
		eng.Min += math.Min(0, fired.Min)
		eng.Max += math.Max(0, fired.Max)
	}
	s.ranges.Fit = clampRange(fit, m.Limits.Fit)
	for _, rs := range s.resets {
		if rs.adjust && rs.points < 0 {
			eng.Min = math.Inf(-1)
		} else if rs.adjust && rs.points > 0 {
			eng.Max = math.Inf(1)
		}
	}
	s.ranges.Engagement = clampRange(eng, m.Limits.Engagement)
	s.ranges.Total = clampRange(Range{s.ranges.Fit.Min + s.ranges.Engagement.Min, s.ranges.Fit.Max + s.ranges.Engagement.Max}, m.Limits.Total)

	unreachable := func(path, what, score string, bands []GradeBand, r Range) {
		for i, b := range bands {
			lo, hi := math.Inf(-1), math.Inf(1)
			if b.Min != nil {
				lo = *b.Min
			}
			if b.Max != nil {
				hi = *b.Max
			}
			if lo > r.Max || hi <= r.Min {
				warn(fmt.Sprintf("%s[%d]", path, i), "%s %q is unreachable: %s ranges over [%g, %g]", what, b.Grade, score, r.Min, r.Max)
			}
		}
	}
	unreachable("grades", "grade", "fit", m.Grades, s.ranges.Fit)
	unreachable("bands", "band", "engagement", m.Bands, s.ranges.Engagement)
	for i, rs := range s.resets {
		if rs.adjust && rs.points == 0 {
			warn(fmt.Sprintf("resets[%d].points", i), "zero: the adjustment changes nothing")
		}
	}
	byName := map[string]Range{"fit": s.ranges.Fit, "engagement": s.ranges.Engagement, "total": s.ranges.Total}
	for i, st := range s.stages {
		for j, c := range st.criteria {
			for _, cmp := range c.prog.Comparisons() {
				r, ok := byName[cmp.Name]
				if !ok {
					continue
				}
				never, always := false, false
				switch cmp.Op {
				case ">=":
					never, always = r.Max < cmp.Value, r.Min >= cmp.Value
				case ">":
					never, always = r.Max <= cmp.Value, r.Min > cmp.Value
				case "<=":
					never, always = r.Min > cmp.Value, r.Max <= cmp.Value
				case "<":
					never, always = r.Min >= cmp.Value, r.Max < cmp.Value
				case "==":
					never = cmp.Value < r.Min || cmp.Value > r.Max
				}
				p := fmt.Sprintf("qualification[%d].criteria[%d].when", i, j)
				if never {
					warn(p, "%s %s %g can never hold: %s ranges over [%g, %g]", cmp.Name, cmp.Op, cmp.Value, cmp.Name, r.Min, r.Max)
				} else if always {
					warn(p, "%s %s %g always holds: %s ranges over [%g, %g]", cmp.Name, cmp.Op, cmp.Value, cmp.Name, r.Min, r.Max)
				}
			}
		}
	}
}
