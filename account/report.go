package account

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// Coverage is one buying-group role at one account.
type Coverage struct {
	// Persona is the role's persona.
	Persona string `json:"persona"`
	// Leads is the number of the account's leads of the persona, and
	// Engaged those with at least the role's engagement.
	Leads   int64 `json:"leads"`
	Engaged int64 `json:"engaged"`
	// Status is "engaged" (Engaged > 0), "present" (leads but none
	// engaged) or "missing" (no lead).
	Status string `json:"status"`
}

// LeadLine names one lead behind an account's score.
type LeadLine struct {
	// ID is the lead's ID.
	ID string `json:"id"`
	// Engagement is the lead's engagement score as of the as-of, to a
	// millionth of a point.
	Engagement float64 `json:"engagement"`
	// Personas are the buying-group personas the lead matches.
	Personas []string `json:"personas,omitempty"`
}

// Score is one account's score with its explanation.
type Score struct {
	// Key is the account key (the lead field named by Definition.Key, or
	// AccountOf's key).
	Key string `json:"key"`
	// Name and Domain are those of the account's company.
	Name   string `json:"name,omitempty"`
	Domain string `json:"domain,omitempty"`
	// Fit is the account fit rules' score over the company, and Grade
	// its band ("" when no band covers it).
	Fit   float64 `json:"fit"`
	Grade string  `json:"grade,omitempty"`
	// Engagement is the roll-up of the leads' engagement; Total is Fit +
	// Engagement.
	Engagement float64 `json:"engagement"`
	Total      float64 `json:"total"`
	// Stage is the highest qualification rung reached; "" for none. Next
	// lists the unmet conditions of the rung above it, in words.
	Stage string   `json:"stage,omitempty"`
	Next  []string `json:"next,omitempty"`
	// Leads is the number of the account's leads, and EngagedLeads those
	// with a positive engagement.
	Leads        int64 `json:"leads"`
	EngagedLeads int64 `json:"engaged_leads"`
	// BuyingGroup has one line per role, in definition order; Gaps names
	// the personas that are not engaged ("economic_buyer: missing").
	BuyingGroup []Coverage `json:"buying_group,omitempty"`
	Gaps        []string   `json:"gaps,omitempty"`
	// TopLeads are the most engaged leads (at most
	// Definition.LeadsPerAccount), and FitRules the fit rules that fired:
	// the leads and rules behind the score.
	TopLeads []LeadLine             `json:"top_leads"`
	FitRules []scoring.Contribution `json:"fit_rules,omitempty"`
}

// Count is a number of accounts with one value.
type Count struct {
	// Value is the grade, stage or persona; "" for none.
	Value string `json:"value"`
	// Accounts is the number of accounts.
	Accounts int64 `json:"accounts"`
}

// Gap counts the accounts where one buying-group persona is not engaged.
type Gap struct {
	// Persona is the role's persona.
	Persona string `json:"persona"`
	// Missing is the number of accounts with no lead of the persona,
	// Unengaged those with leads of it but none engaged.
	Missing   int64 `json:"missing"`
	Unengaged int64 `json:"unengaged"`
}

// Report is account scoring as of one instant.
type Report struct {
	// Fingerprint is the definition's; AsOf the as-of instant.
	Fingerprint string    `json:"fingerprint"`
	AsOf        time.Time `json:"as_of"`
	// Leads is the number of leads added to an account; Skipped those
	// created after the as-of; Unkeyed those without an account key.
	Leads   int64 `json:"leads"`
	Skipped int64 `json:"skipped"`
	Unkeyed int64 `json:"unkeyed"`
	// Accounts is the number of accounts.
	Accounts int64 `json:"accounts"`
	// Grades and Stages count accounts per fit grade and per
	// qualification stage, in definition order, then "" (none).
	Grades []Count `json:"grades,omitempty"`
	Stages []Count `json:"stages,omitempty"`
	// Gaps has one line per buying-group role, over all accounts.
	Gaps []Gap `json:"gaps,omitempty"`
	// Top lists the best accounts (at most Definition.Top) by Total, then
	// Fit, then Key.
	Top []Score `json:"top"`
}

// Report scores every account and returns the report. The same leads
// added in any order and split, merged in any order, give the same
// report.
func (a *Accounts) Report() (Report, error) {
	if err := a.ready(); err != nil {
		return Report{}, err
	}
	d := a.s.canon
	r := Report{Fingerprint: a.s.fp, AsOf: a.asOf, Skipped: a.skipped, Unkeyed: a.unkeyed, Accounts: int64(len(a.accounts))}
	keys := make([]string, 0, len(a.accounts))
	for k, c := range a.accounts {
		if r.Leads > math.MaxInt64-c.leads {
			return Report{}, errors.New("account: the lead count overflows")
		}
		r.Leads += c.leads
		keys = append(keys, k)
	}
	slices.Sort(keys)
	gradeN := map[string]int64{}
	stageN := map[string]int64{}
	r.Gaps = make([]Gap, len(d.BuyingGroup))
	for i, role := range d.BuyingGroup {
		r.Gaps[i].Persona = role.Persona
	}
	type ranked struct {
		total, fit float64
		key        string
	}
	scores := make([]ranked, 0, len(keys))
	var fr scoring.Result
	for _, k := range keys {
		c := a.accounts[k]
		s, err := a.score(k, c, &fr, false)
		if err != nil {
			return Report{}, err
		}
		gradeN[s.Grade]++
		stageN[s.Stage]++
		for i, cv := range s.BuyingGroup {
			switch cv.Status {
			case "missing":
				r.Gaps[i].Missing++
			case "present":
				r.Gaps[i].Unengaged++
			}
		}
		scores = append(scores, ranked{s.Total, s.Fit, k})
	}
	slices.SortFunc(scores, func(x, y ranked) int {
		if c := cmp.Compare(y.total, x.total); c != 0 {
			return c
		}
		if c := cmp.Compare(y.fit, x.fit); c != 0 {
			return c
		}
		return strings.Compare(x.key, y.key)
	})
	r.Top = make([]Score, 0, min(len(scores), d.Top))
	for _, x := range scores[:min(len(scores), d.Top)] {
		full, err := a.score(x.key, a.accounts[x.key], &fr, true)
		if err != nil {
			return Report{}, err
		}
		r.Top = append(r.Top, full)
	}
	for _, g := range d.Grades {
		if n := gradeN[g.Grade]; n > 0 {
			r.Grades = append(r.Grades, Count{g.Grade, n})
		}
	}
	if n := gradeN[""]; n > 0 && len(d.Grades) > 0 {
		r.Grades = append(r.Grades, Count{"", n})
	}
	for _, q := range d.Qualification {
		if n := stageN[q.Stage]; n > 0 {
			r.Stages = append(r.Stages, Count{q.Stage, n})
		}
	}
	if n := stageN[""]; n > 0 && len(d.Qualification) > 0 {
		r.Stages = append(r.Stages, Count{"", n})
	}
	return r, nil
}

// score computes one account's score; the explanation (fit rules, leads,
// gaps in words, the next rung's conditions) only when full is set.
func (a *Accounts) score(key string, c *acct, fr *scoring.Result, full bool) (Score, error) {
	d := a.s.canon
	s := Score{Key: key, Name: c.company.Name, Domain: c.company.Domain, Leads: c.leads, EngagedLeads: c.engaged}
	company := lead.Lead{ID: key, CreatedAt: a.asOf, Company: c.company}
	if err := a.s.fit.ScoreInto(fr, &company, a.asOf); err != nil {
		return Score{}, fmt.Errorf("account: fit of account %q: %w", key, err)
	}
	s.Fit, s.Grade = fr.Fit, fr.Grade
	if full {
		s.FitRules = slices.Clone(fr.Contributions)
	}
	switch d.Engagement.Method {
	case Sum:
		s.Engagement = float64(c.sum) / resolution
	case Max:
		s.Engagement = float64(c.top[0].Units) / resolution
	case TopN:
		w, e := 1.0, 0.0
		for i := 0; i < d.Engagement.N && i < len(c.top); i++ {
			e += w * float64(c.top[i].Units) / resolution
			w *= d.Engagement.Decay
		}
		s.Engagement = e
	}
	s.Total = s.Fit + s.Engagement
	for i, role := range d.BuyingGroup {
		cv := Coverage{Persona: role.Persona, Leads: c.roles[i].leads, Engaged: c.roles[i].engaged, Status: "engaged"}
		switch {
		case cv.Leads == 0:
			cv.Status = "missing"
			if full {
				s.Gaps = append(s.Gaps, role.Persona+": missing")
			}
		case cv.Engaged == 0:
			cv.Status = "present"
			if full {
				s.Gaps = append(s.Gaps, role.Persona+": present, not engaged")
			}
		}
		s.BuyingGroup = append(s.BuyingGroup, cv)
	}
	if full {
		s.TopLeads = make([]LeadLine, 0, min(d.LeadsPerAccount, len(c.top)))
	}
	for _, l := range c.top[:min(d.LeadsPerAccount, len(c.top))] {
		if !full {
			break
		}
		ll := LeadLine{ID: l.ID, Engagement: float64(l.Units) / resolution}
		for _, i := range l.Roles {
			ll.Personas = append(ll.Personas, d.BuyingGroup[i].Persona)
		}
		s.TopLeads = append(s.TopLeads, ll)
	}
	reached := -1
	for i, q := range d.Qualification {
		if n, _ := a.s.unmet(q, s, false); n == 0 {
			reached = i
		}
	}
	if reached >= 0 {
		s.Stage = d.Qualification[reached].Stage
	}
	if full && reached+1 < len(d.Qualification) {
		_, s.Next = a.s.unmet(d.Qualification[reached+1], s, true)
	}
	return s, nil
}

// unmet counts the conditions of rung q that account score s does not
// meet, and lists them in words when words is set.
func (sc *Scorer) unmet(q Rung, s Score, words bool) (int, []string) {
	var out []string
	n := 0
	fail := func(format string, args ...any) {
		n++
		if words {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	if q.MinFit != nil && s.Fit < *q.MinFit {
		fail("%s: fit %g < %g", q.Stage, s.Fit, *q.MinFit)
	}
	if q.MinEngagement != nil && s.Engagement < *q.MinEngagement {
		fail("%s: engagement %g < %g", q.Stage, s.Engagement, *q.MinEngagement)
	}
	if q.MinTotal != nil && s.Total < *q.MinTotal {
		fail("%s: total %g < %g", q.Stage, s.Total, *q.MinTotal)
	}
	if len(q.Grades) > 0 && !slices.Contains(q.Grades, s.Grade) {
		fail("%s: grade %q not in %v", q.Stage, s.Grade, q.Grades)
	}
	if s.EngagedLeads < int64(q.MinEngagedLeads) {
		fail("%s: %d engaged leads < %d", q.Stage, s.EngagedLeads, q.MinEngagedLeads)
	}
	for _, p := range q.Engaged {
		i := sc.roleIdx[p]
		if s.BuyingGroup[i].Status != "engaged" {
			fail("%s: %s not engaged", q.Stage, p)
		}
	}
	return n, out
}
