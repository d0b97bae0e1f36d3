package account

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// RollupMethod says how an account's engagement is rolled up from its
// leads' engagement scores.
type RollupMethod string

// The roll-up methods.
const (
	// Sum adds every lead's engagement (Mautic's company score).
	Sum RollupMethod = "sum"
	// Max takes the most engaged lead's.
	Max RollupMethod = "max"
	// TopN adds the N most engaged leads', the i-th (from 0) weighted by
	// Decay^i, so one very active person does not make an account.
	TopN RollupMethod = "top"
)

// Limits on a definition.
const (
	// MaxTopN is the largest Rollup.N.
	MaxTopN = 100
	// MaxTop is the largest Definition.Top.
	MaxTop = 10000
	// MaxLeadsPerAccount is the largest Definition.LeadsPerAccount.
	MaxLeadsPerAccount = 100
	// MaxRoles is the largest buying group.
	MaxRoles = 64
)

// Rollup says how account engagement is computed from the leads'.
type Rollup struct {
	// Method is Sum, Max or TopN; empty means Sum.
	Method RollupMethod `json:"method,omitempty"`
	// N is the number of leads TopN adds, 1 to MaxTopN; zero for the
	// other methods.
	N int `json:"n,omitempty"`
	// Decay is TopN's weight ratio in [0, 1]: the i-th lead counts
	// Decay^i. Zero means 1 (no decay). Zero for the other methods.
	Decay float64 `json:"decay,omitempty"`
}

// Role is one member of the buying group: a persona an account needs
// engaged.
type Role struct {
	// Persona is the name of a persona of Definition.Leads. Required,
	// unique.
	Persona string `json:"persona"`
	// MinEngagement is the engagement score at which a lead of the
	// persona counts as engaged; a lead needs a positive engagement in
	// any case, so zero means "any engagement".
	MinEngagement float64 `json:"min_engagement,omitempty"`
}

// Rung is one stage of the account qualification ladder. An account
// reaches Stage when every condition set holds; unset conditions hold.
type Rung struct {
	// Stage names the rung ("MQA"). Required, unique.
	Stage string `json:"stage"`
	// MinFit, MinEngagement and MinTotal are lower bounds on the
	// account's scores.
	MinFit        *float64 `json:"min_fit,omitempty"`
	MinEngagement *float64 `json:"min_engagement,omitempty"`
	MinTotal      *float64 `json:"min_total,omitempty"`
	// Grades, when set, are the fit grades allowed.
	Grades []string `json:"grades,omitempty"`
	// MinEngagedLeads is the least number of engaged leads (engagement
	// above zero).
	MinEngagedLeads int `json:"min_engaged_leads,omitempty"`
	// Engaged are the buying-group personas that must be engaged.
	Engaged []string `json:"engaged,omitempty"`
}

// Definition is account scoring as plain data: how leads are keyed to
// accounts, how each lead is scored, the account fit rules and grades,
// the engagement roll-up, the buying group and the qualification ladder.
type Definition struct {
	// Name identifies the definition.
	Name string `json:"name,omitempty"`
	// Key is the lead field that names its account ("fields.account_id",
	// "company.domain"); empty means AccountOf (the normalised company
	// domain, else a work email's domain, else the normalised company
	// name).
	Key lead.Key `json:"key,omitempty"`
	// Leads scores each lead as of the as-of: its engagement and its
	// personas are what the account rolls up.
	Leads scoring.Model `json:"leads"`
	// Fit are the account fit rules, fit rules over the account's company
	// (company.industry, company.employees, ...); the account's company is
	// that of its earliest lead.
	Fit []scoring.Rule `json:"fit,omitempty"`
	// Grades are bands over the account fit score, best first, as in
	// scoring.Model.Grades.
	Grades []scoring.GradeBand `json:"grades,omitempty"`
	// Engagement is the roll-up.
	Engagement Rollup `json:"engagement,omitzero"`
	// BuyingGroup are the personas sales wants engaged at each account.
	BuyingGroup []Role `json:"buying_group,omitempty"`
	// Qualification is the ladder, lowest first; an account's stage is
	// the highest rung it meets.
	Qualification []Rung `json:"qualification,omitempty"`
	// Top is the number of accounts the report lists; zero means 100.
	Top int `json:"top,omitempty"`
	// LeadsPerAccount is the number of leads each listed account names in
	// its explanation, the most engaged first; zero means 5.
	LeadsPerAccount int `json:"leads_per_account,omitempty"`
}

// canonical returns d with defaults filled in.
func (d Definition) canonical() Definition {
	if d.Engagement.Method == "" {
		d.Engagement.Method = Sum
	}
	if d.Engagement.Method == TopN && d.Engagement.Decay == 0 {
		d.Engagement.Decay = 1
	}
	if d.Top == 0 {
		d.Top = 100
	}
	if d.LeadsPerAccount == 0 {
		d.LeadsPerAccount = 5
	}
	return d
}

// fitModel is the scoring model account fit is computed with.
func (d Definition) fitModel() scoring.Model {
	return scoring.Model{Name: "account fit", Rules: d.Fit, Grades: d.Grades}
}

// Validate reports every problem of d at once, as *leadkit.Error values
// with their JSON paths joined with errors.Join; nil when d is valid.
func (d Definition) Validate() error {
	_, err := compile(d)
	return err
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func compile(d Definition) (*Scorer, error) {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, leadkit.Errorf(path, format, args...)) }
	if d.Key != "" {
		if err := d.Key.Check(); err != nil {
			errs = append(errs, leadkit.Prefix("key", err))
		}
	}
	leads, err := scoring.Compile(d.Leads)
	if err != nil {
		errs = append(errs, leadkit.Prefix("leads", err))
	}
	for i, r := range d.Fit {
		if r.Kind != "" && r.Kind != scoring.Fit {
			add(fmt.Sprintf("fit[%d].kind", i), "an account fit rule is a fit rule, not %q", r.Kind)
		}
	}
	fit, err := scoring.Compile(d.fitModel())
	if err != nil {
		errs = append(errs, repath(err))
	}
	switch e := d.Engagement; e.Method {
	case "", Sum, Max:
		if e.N != 0 || e.Decay != 0 {
			add("engagement", "n and decay are for method %q only", TopN)
		}
	case TopN:
		if e.N < 1 || e.N > MaxTopN {
			add("engagement.n", "%d leads; want 1 to %d", e.N, MaxTopN)
		}
		if !finite(e.Decay) || e.Decay < 0 || e.Decay > 1 {
			add("engagement.decay", "%v; want 0 to 1", e.Decay)
		}
	default:
		add("engagement.method", "unknown method %q; want %q, %q or %q", e.Method, Sum, Max, TopN)
	}
	personas := map[string]bool{}
	for _, p := range d.Leads.Personas {
		personas[p.Name] = true
	}
	roles := map[string]bool{}
	if len(d.BuyingGroup) > MaxRoles {
		add("buying_group", "%d roles; at most %d", len(d.BuyingGroup), MaxRoles)
	}
	for i, r := range d.BuyingGroup {
		p := fmt.Sprintf("buying_group[%d]", i)
		switch {
		case r.Persona == "":
			add(p+".persona", "persona is required")
		case !personas[r.Persona]:
			add(p+".persona", "unknown persona %q; leads.personas must define it", r.Persona)
		case roles[r.Persona]:
			add(p+".persona", "persona %q repeats", r.Persona)
		}
		roles[r.Persona] = true
		if !finite(r.MinEngagement) || r.MinEngagement < 0 || r.MinEngagement > scoring.MaxPoints {
			add(p+".min_engagement", "%v; want 0 to %g", r.MinEngagement, scoring.MaxPoints)
		}
	}
	grades := map[string]bool{}
	for _, g := range d.Grades {
		grades[g.Grade] = true
	}
	stages := map[string]bool{}
	for i, r := range d.Qualification {
		p := fmt.Sprintf("qualification[%d]", i)
		if r.Stage == "" {
			add(p+".stage", "stage is required")
		} else if stages[r.Stage] {
			add(p+".stage", "stage %q repeats", r.Stage)
		}
		stages[r.Stage] = true
		for name, v := range map[string]*float64{"min_fit": r.MinFit, "min_engagement": r.MinEngagement, "min_total": r.MinTotal} {
			if v != nil && (!finite(*v) || math.Abs(*v) > 3*scoring.MaxPoints) {
				add(p+"."+name, "%v is out of range", *v)
			}
		}
		for j, g := range r.Grades {
			if !grades[g] {
				add(fmt.Sprintf("%s.grades[%d]", p, j), "unknown grade %q", g)
			}
		}
		if r.MinEngagedLeads < 0 {
			add(p+".min_engaged_leads", "%d is negative", r.MinEngagedLeads)
		}
		for j, g := range r.Engaged {
			if !roles[g] {
				add(fmt.Sprintf("%s.engaged[%d]", p, j), "%q is not a buying_group persona", g)
			}
		}
	}
	if d.Top < 0 || d.Top > MaxTop {
		add("top", "%d; want 0 (100) to %d", d.Top, MaxTop)
	}
	if d.LeadsPerAccount < 0 || d.LeadsPerAccount > MaxLeadsPerAccount {
		add("leads_per_account", "%d; want 0 (5) to %d", d.LeadsPerAccount, MaxLeadsPerAccount)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := d.canonical()
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("account: encode the definition: %w", err)
	}
	sum := sha256.Sum256(fmt.Appendf(b, "\x00%s\x00%s", leads.Fingerprint(), fit.Fingerprint()))
	s := &Scorer{def: b, canon: c, leads: leads, fit: fit, fp: hex.EncodeToString(sum[:])}
	s.keep = c.LeadsPerAccount
	if c.Engagement.Method == TopN {
		s.keep = max(s.keep, c.Engagement.N)
	}
	s.roleIdx = map[string]int{}
	for i, r := range c.BuyingGroup {
		s.roleIdx[r.Persona] = i
	}
	if c.Key != "" {
		s.keyOf = c.Key.Func()
	} else {
		s.keyOf = AccountOf
	}
	return s, nil
}

// repath moves the fit model's errors to the definition's paths:
// "rules[2].when" is "fit[2].when".
func repath(err error) error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		var le *leadkit.Error
		if errors.As(e, &le) {
			c := *le
			if rest, ok := strings.CutPrefix(c.Path, "rules"); ok {
				c.Path = "fit" + rest
			}
			out = append(out, &c)
			continue
		}
		out = append(out, leadkit.Prefix("fit", e))
	}
	return errors.Join(out...)
}

// Scorer is a compiled Definition. It is immutable and safe for
// concurrent use by multiple goroutines.
type Scorer struct {
	def     []byte // canonical JSON of the definition
	canon   Definition
	leads   *scoring.Scorer
	fit     *scoring.Scorer
	fp      string
	keep    int
	roleIdx map[string]int
	keyOf   func(*lead.Lead) string
}

// Compile validates d and compiles it. The error lists every problem,
// as Validate does.
func Compile(d Definition) (*Scorer, error) {
	return compile(d)
}

// MustCompile is Compile for definitions known to be valid, in tests and
// examples: it panics, quoting the error, when d does not compile.
func MustCompile(d Definition) *Scorer {
	s, err := Compile(d)
	if err != nil {
		panic("account: MustCompile: " + err.Error())
	}
	return s
}

// ParseDefinition reads a definition from JSON strictly (an unknown,
// repeated or mistyped field is an error with its path, line and
// column) and validates it.
func ParseDefinition(data []byte) (Definition, error) {
	var d Definition
	if err := jsonstrict.Decode(data, &d, "account definition"); err != nil {
		return Definition{}, err
	}
	if err := d.Validate(); err != nil {
		return Definition{}, err
	}
	return d, nil
}

// Fingerprint returns the hex SHA-256 of the definition's canonical
// JSON (defaults filled in) and of its compiled models' fingerprints;
// "" for a nil Scorer.
func (s *Scorer) Fingerprint() string {
	if s == nil {
		return ""
	}
	return s.fp
}

// Definition returns a deep copy of the definition with its defaults
// filled in; the zero Definition for a nil Scorer.
func (s *Scorer) Definition() Definition {
	var d Definition
	if s != nil {
		_ = json.Unmarshal(s.def, &d) // written by json.Marshal of a Definition
	}
	return d
}
