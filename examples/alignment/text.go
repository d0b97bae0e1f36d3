package alignment

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/internal/textout"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// WriteText prints the report for people, one section per question, in
// at most 100 columns and without colour.
func (r *Report) WriteText(w io.Writer) error {
	p := textout.New(w)
	p.F("%s\n", r.Agreement)
	channel := "all channels"
	if r.Channel != "" {
		channel = "channel " + r.Channel
	}
	state := "to date"
	if !r.AsOf.Before(r.Period.End) {
		state = "complete"
	}
	p.F("As of %s, %s: %s %s (%s) against %s; %d leads.\n", r.AsOf.Format(time.RFC3339), channel,
		r.Unit, r.Period.Label, state, r.Previous.Label, r.Leads)

	p.Section("1. Headline: are we on track?")
	t := p.Table("  ", "\tthis "+string(r.Unit)+"\tprevious\tchange\ttarget to date")
	for _, m := range r.Headline {
		target := "-"
		if m.Target != nil {
			target = value(m.Unit, *m.Target)
		}
		t.Row("%s\t%s\t%s\t%s\t%s", m.Label, value(m.Unit, m.Current), value(m.Unit, m.Previous), signedPct(m.Change), target)
	}
	t.Flush()
	p.F("MQLs and SQLs are the period's new leads that reached the stage by as-of; targets are\n")
	p.F("pro-rated to date. The trends below count stage entries in each week.\n")

	p.Section(fmt.Sprintf("2. Trends: the last %d weeks", Weeks))
	target := "n/a"
	if v, err := r.Trends.MQLTarget.Value(1); err == nil {
		target = v.StringFixed(1)
	}
	tv, _ := r.Trends.MQLTarget.Float64()
	top := tv
	for _, pt := range r.Trends.Points {
		top = max(top, float64(pt.MQLs))
	}
	scale := 30 / max(top, 1)
	p.F("MQLs a week against the agreed volume (%s a week, the | in the bars)\n", target)
	t = p.Table("  ", "week\tleads\tMQLs\tSQLs\twon\tMQLs against target")
	for _, pt := range r.Trends.Points {
		t.Row("%s\t%d\t%d\t%d\t%d\t%s", pt.Week, pt.Leads, pt.MQLs, pt.SQLs, pt.Won, bar(float64(pt.MQLs)*scale, tv*scale))
	}
	t.Flush()

	fr := r.Funnel.Report
	p.Section("3. Funnel: where leads get lost (every cohort)")
	p.F("%d leads in the funnel; %d data-quality findings\n", fr.Overall.Leads, len(fr.Findings))
	t = p.Table("  ", "stage\tteam\treached\tconverted\tconversion\tfrom top\tstill in\tmedian time to next")
	for _, st := range fr.Overall.Stages {
		t.Row("%s\t%s\t%d\t%d\t%s\t%s\t%d\t%s", st.Stage, st.Team, st.Reached, st.Converted,
			pct(st.Conversion), pct(st.FromTop), st.StillIn, elapsed(st.TimeToNext.Median))
	}
	t.Flush()
	p.F("\nWhy leads left (the feedback sales owes marketing), top three per stage\n")
	t = p.Table("  ", "from stage\texit\treason\tleads")
	for _, st := range fr.Overall.Stages {
		for i, e := range st.Exits {
			if i == 3 {
				break
			}
			t.Row("%s\t%s\t%s\t%d", st.Stage, e.Exit, orNone(e.Reason), e.Leads)
		}
	}
	t.Flush()

	p.Section("4. Channels: conversion and cost, " + r.Period.Label)
	t = p.Table("  ", "channel\tleads\tMQLs\tSQLs\twon\tspend\tcost/lead\tCAC\tlead→MQL\tlead→customer*")
	for _, c := range r.Channels {
		t.Row("%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s", orNone(c.Channel), c.Leads, c.MQLs, c.SQLs, c.Won,
			c.Spend.StringFixed(0), fixed(c.CostPerLead, 2), fixed(c.CAC, 0), pct(c.LeadToMQL), pct(c.LeadToCustomer))
	}
	t.Flush()
	p.F("* over every cohort, from the funnel\n")

	p.Section("5. Web: traffic, and the pages that lose people")
	t = p.Table("  ", "period\tvisits\torganic\tpaid\tother\torganic %\tpaid %\tbounced\tengaged s/visit")
	for _, w := range r.Web.Periods {
		tr := w.Traffic
		t.Row("%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s", w.Period, w.Visits, tr.Organic, tr.Paid,
			tr.Referral+tr.Email+tr.Social+tr.Direct+tr.Other, pct(w.OrganicShare), pct(w.PaidShare),
			pct(w.BounceRate), fixed(w.EngagedSeconds, 0))
	}
	t.Flush()
	if len(r.Web.Gaps) > 0 {
		p.F("\nLanding pages with at least %d visits that bring the fewest leads\n", r.Web.GapMinVisits)
		t = p.Table("  ", "page\tvisits\tleads\ttraffic→lead\tbounce rate")
		for _, g := range r.Web.Gaps {
			t.Row("%s\t%d\t%d\t%s\t%s", g.Page, g.Visits, g.Leads, pct(g.TrafficToLead), pct(g.BounceRate))
		}
		t.Flush()
	}

	sr := r.SLA.Report
	ac := r.Accounts
	p.Section("6. Accounts: who is buying, and who is missing")
	p.F("%d accounts", ac.Accounts)
	for _, c := range ac.Stages {
		if c.Value != "" {
			p.F("; %d reached %s", c.Accounts, c.Value)
		}
	}
	p.F("\n")
	t = p.Table("  ", "account\tgrade\tfit\tengagement\tleads\tengaged leads\tstage\tbuying group engaged")
	for _, a := range ac.Top {
		engaged := 0
		for _, c := range a.BuyingGroup {
			if c.Status == "engaged" {
				engaged++
			}
		}
		t.Row("%s\t%s\t%.0f\t%.1f\t%d\t%d\t%s\t%d of %d", clip(orNone(a.Name), 22), orNone(a.Grade), a.Fit, a.Engagement,
			a.Leads, a.EngagedLeads, orNone(a.Stage), engaged, len(a.BuyingGroup))
	}
	t.Flush()
	p.F("\nBuying-group personas not engaged, over every account\n")
	t = p.Table("  ", "persona\tno lead\tleads, none engaged")
	for _, g := range ac.Gaps {
		t.Row("%s\t%d\t%d", g.Persona, g.Missing, g.Unengaged)
	}
	t.Flush()

	p.Section("7. SLAs: does each team keep its promises?")
	p.F("Times are in business time: a business day is 8 business hours. Late: breached;\n")
	p.F("kept: met / (met + late), the compliance.\n")
	for _, team := range []lead.Team{lead.TeamMarketing, lead.TeamSales} {
		t = p.Table("  ", "promises of "+string(team)+"\tmet\tlate\tpending\tat risk\tkept\tmedian")
		for _, pr := range sr.Policies {
			if pr.Team == team {
				t.Row("%s\t%d\t%d\t%d\t%d\t%s\t%s", clip(pr.Name, 40), pr.Met, pr.Breached, pr.Pending, pr.AtRisk,
					pct(pr.Compliance), business(pr.Time.Median))
			}
		}
		t.Flush()
		p.F("\n")
	}
	if len(sr.Policies) > 0 && len(sr.Policies[0].Owners) > 0 {
		pr := sr.Policies[0]
		p.F("\n%s, by owner\n", pr.Name)
		t = p.Table("  ", "owner\tmet\tlate\tpending\tat risk\tkept\tmedian")
		for _, o := range pr.Owners {
			t.Row("%s\t%d\t%d\t%d\t%d\t%s\t%s", orNone(o.Owner), o.Met, o.Breached, o.Pending, o.AtRisk, pct(o.Compliance), business(o.Time.Median))
		}
		t.Flush()
	}
	p.F("\nAt risk: %d promises a rep can still keep this week, most urgent first\n", r.SLA.AtRiskCount)
	t = p.Table("  ", "policy\tlead\towner\tdeadline\ttime left")
	if len(r.SLA.AtRisk) == 0 {
		t.Row("(none)\t\t\t\t")
	}
	for _, a := range r.SLA.AtRisk {
		t.Row("%s\t%s\t%s\t%s\t%s", clip(a.Policy, 36), a.LeadID, orNone(a.Owner), a.Deadline.Format("2006-01-02 15:04"), business(&a.Remaining))
	}
	t.Flush()
	for _, tr := range sr.Teams {
		if len(tr.Breaches) == 0 {
			continue
		}
		p.F("\nMost overdue %s breaches\n", tr.Team)
		t = p.Table("  ", "policy\tlead\towner\tdeadline\tlate by\tcause")
		for i, b := range tr.Breaches {
			if i == 5 {
				break
			}
			t.Row("%s\t%s\t%s\t%s\t%s\t%s", clip(b.Policy, 36), b.LeadID, orNone(b.Owner), b.Deadline.Format("2006-01-02 15:04"), business(&b.Late), b.Cause)
		}
		t.Flush()
	}

	s := &r.Scoring
	p.Section("8. Scoring: who is a qualified lead")
	p.F("model %s (fingerprint %.16s)\n", s.Model, s.Fingerprint)
	for _, w := range s.Warnings {
		p.F("  lint: %s\n", w)
	}
	if s.Errors > 0 {
		p.F("  %d leads could not be scored\n", s.Errors)
	}
	p.F("\nScore distribution (total score)\n")
	var most int64 = 1
	for _, c := range s.Distribution {
		most = max(most, c.Count)
	}
	t = p.Table("  ", "score\tleads\t")
	for _, c := range s.Distribution {
		t.Row("%s\t%d\t%s", c.Key, c.Count, bar(float64(c.Count)*40/float64(most), 0))
	}
	t.Flush()
	p.F("\nFit grade against outcome (does the profile predict customers?)\n")
	t = p.Table("  ", "grade\tleads\tcustomers\tconversion")
	for _, g := range s.Grades {
		t.Row("%s\t%d\t%d\t%s", orNone(g.Grade), g.Leads, g.Customers, pct(g.Conversion))
	}
	t.Flush()
	p.F("\nQualification by the shared definition\n")
	t = p.Table("  ", "stage\tleads")
	for _, c := range s.Qualified {
		t.Row("%s\t%d", c.Key, c.Count)
	}
	t.Flush()
	p.F("\nWhat keeps leads from qualifying (unmet criteria of the next stage)\n")
	t = p.Table("  ", "criterion\tleads")
	for i, c := range s.Blockers {
		if i == 5 {
			break
		}
		t.Row("%s\t%d", c.Key, c.Count)
	}
	t.Flush()
	p.F("\nPersonas\n")
	t = p.Table("  ", "persona\tleads")
	for _, c := range s.Personas {
		t.Row("%s\t%d", c.Key, c.Count)
	}
	t.Flush()
	p.F("\nWhere the model and the lifecycle disagree: %d leads the model qualifies never became\n", s.ModelMQLNeverMQL)
	p.F("MQLs; %d MQLs are leads the model does not qualify.\n", s.MQLNotModelMQL)
	bt := s.Backtest
	p.F("\nBacktest: %d MQLs with a known outcome, scored as of their MQL entry (before sales\n", bt.Leads)
	p.F("accepts them at SAL); %d became customers (%s). AUC of the total score: %s (0.5 is chance).\n",
		bt.Converted, pct(bt.BaseRate), fixed(bt.AUC, 3))
	t = p.Table("  ", "score at least\tleads\tcustomers\tprecision\trecall")
	for _, th := range bt.Thresholds {
		t.Row("%.0f\t%d\t%d\t%s\t%s", th.Threshold, th.Above, th.Captured, pct(th.Precision), pct(th.Recall))
	}
	t.Flush()
	if len(bt.Matrix) > 0 {
		p.F("\nThe same MQLs on the fit × engagement grid (fit grade A-D, engagement band 1-3)\n")
		t = p.Table("  ", "cell\tMQLs\tcustomers\tconversion")
		for _, c := range bt.Matrix {
			if c.Leads > 0 {
				t.Row("%s\t%d\t%d\t%s", c.Cell, c.Leads, c.Converted, pct(c.Conversion))
			}
		}
		t.Flush()
	}
	p.F("\nHottest qualified leads no rep has touched yet\n")
	for _, h := range s.Hottest {
		p.F("  %s: total %.1f (fit %.1f, engagement %.1f), cell %s, %s", h.LeadID, h.Total, h.Fit, h.Engagement, orNone(h.Cell), h.Qualification.Stage)
		p.F("\n")
		if h.Qualification.Next != "" {
			p.F("      for %s still missing: %s\n", h.Qualification.Next, strings.Join(h.Qualification.Unmet, ", "))
		}
		for _, c := range h.Contributions {
			p.F("      %+6.1f  %s", c.Points, c.Rule)
			if c.Matches > 1 {
				p.F(" (%d matches)", c.Matches)
			}
			if c.Clipped != 0 {
				p.F(" (capped, %.1f clipped)", c.Clipped)
			}
			p.F("\n")
		}
	}

	pl := r.Plan
	p.Section("9. Plan: what the rest of " + pl.Period.Label + " needs")
	if pl.Error != "" {
		p.F("no plan: %s\n", pl.Error)
	} else {
		p.F("target %s for %s, %s won so far: %s to go by %s,\n", pl.Target.StringFixed(0), pl.Period.Label,
			pl.WonSoFar.StringFixed(0), pl.Goal.Revenue.StringFixed(0), pl.Goal.Deadline.Format(time.DateOnly))
		p.F("at an average deal of %s and %s per lead.\n", pl.Goal.AverageDealSize.StringFixed(2), pl.Goal.CostPerLead.StringFixed(2))
		p.F("Rates from %s.\n", pl.RatesFrom)
		t = p.Table("  ", "stage\tteam\tin progress\tstill needed\trate to next\tby")
		for _, st := range pl.Requirements.Stages {
			rate := "-"
			if rt, ok := pl.Goal.Rates[st.Stage]; ok {
				rate = pct(rt)
			}
			t.Row("%s\t%s\t%d\t%d\t%s\t%s", st.Stage, st.Team, st.InProgress, st.Needed, rate, st.By.Format(time.DateOnly))
		}
		t.Flush()
		p.F("marketing budget for the new leads: %s\n", pl.Requirements.Budget.StringFixed(2))
	}
	return p.Err()
}

// value prints a metric in its unit.
func value(unit string, r kpi.Ratio) string {
	switch unit {
	case UnitCount:
		return fixed(r, 0)
	case UnitMoney:
		return fixed(r, 2)
	case UnitRate:
		return pct(r)
	case UnitDays:
		if v, err := r.Value(1); err == nil {
			return v.StringFixed(1) + " days"
		}
	case UnitHours:
		if v, err := r.Value(1); err == nil {
			return v.StringFixed(1) + " h"
		}
	}
	return "n/a"
}

func pct(r kpi.Ratio) string {
	v, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(1) + "%"
}

// signedPct prints a change: "+12.5%", "-3.0%", "n/a".
func signedPct(r kpi.Ratio) string {
	v, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	if v.IsNegative() {
		return v.StringFixed(1) + "%"
	}
	return "+" + v.StringFixed(1) + "%"
}

func fixed(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}

// elapsed prints an elapsed duration in human units: "5.5 h" under two
// days, "31.5 days" beyond; "n/a" when it is undefined.
func elapsed(d *leadkit.Duration) string {
	if d == nil {
		return "n/a"
	}
	h := d.Std().Hours()
	if h < 48 {
		return fmt.Sprintf("%.1f h", h)
	}
	return fmt.Sprintf("%.1f days", h/24)
}

// businessDay is the length of the sample agreement's business day.
const businessDay = 8 * time.Hour

// business prints a duration in a business clock: "1.5 business h" under
// one business day, "31.5 business days" beyond (of 8 business hours;
// 24 business hours are three working days, not one).
func business(d *leadkit.Duration) string {
	if d == nil {
		return "n/a"
	}
	if d.Std() < businessDay {
		return fmt.Sprintf("%.1f business h", d.Std().Hours())
	}
	return fmt.Sprintf("%.1f business days", float64(d.Std())/float64(businessDay))
}

// bar draws v as #s (rounded), with a | at target when it is positive.
func bar(v, target float64) string {
	b := []byte(strings.Repeat("#", int(v+0.5)))
	if target > 0 {
		at := int(target + 0.5)
		for len(b) <= at {
			b = append(b, ' ')
		}
		b[at] = '|'
	}
	return strings.TrimRight(string(b), " ")
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
