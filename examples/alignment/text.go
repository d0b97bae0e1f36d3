package alignment

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
)

// WriteText prints the report for people: one section per question.
func (r *Report) WriteText(w io.Writer) error {
	p := &printer{w: w}
	p.f("%s\n", r.Agreement)
	p.f("as of %s, %d leads\n", r.AsOf.Format(time.RFC3339), r.Leads)

	s := &r.Scoring
	p.section("1. Scoring: who is a qualified lead")
	p.f("model %s (fingerprint %s)\n", s.Model, s.Fingerprint)
	for _, w := range s.Warnings {
		p.f("  lint: %s\n", w)
	}
	if s.Errors > 0 {
		p.f("  %d leads could not be scored\n", s.Errors)
	}
	p.f("\nFit grade against outcome (does the profile predict customers?)\n")
	t := p.table("grade\tleads\tcustomers\tconversion")
	for _, g := range s.Grades {
		t.row("%s\t%d\t%d\t%s", orNone(g.Grade), g.Leads, g.Customers, pct(g.Conversion))
	}
	t.flush()
	p.f("\nQualification by the shared definition\n")
	t = p.table("stage\tleads")
	for _, c := range s.Qualified {
		t.row("%s\t%d", c.Key, c.Count)
	}
	t.flush()
	p.f("\nPersonas\n")
	t = p.table("persona\tleads")
	for _, c := range s.Personas {
		t.row("%s\t%d", c.Key, c.Count)
	}
	t.flush()
	p.f("\nWhere the teams disagree: %d leads the model qualifies were never handed to sales;\n", s.ModelMQLNotHandedOver)
	p.f("%d leads were handed over that the model does not qualify.\n", s.HandedOverNotModelMQL)
	bt := s.Backtest
	p.f("\nBacktest: %d leads handed to sales with a known outcome, scored as of the handoff;\n", bt.Leads)
	p.f("%d became customers (%s). AUC of the total score: %s (0.5 is chance).\n", bt.Converted, pct(bt.BaseRate), fixed(bt.AUC, 3))
	t = p.table("score at least\tleads\tcustomers\tprecision\trecall")
	for _, th := range bt.Thresholds {
		t.row("%.0f\t%d\t%d\t%s\t%s", th.Threshold, th.Above, th.Captured, pct(th.Precision), pct(th.Recall))
	}
	t.flush()
	p.f("\nHottest qualified leads no rep has touched yet\n")
	for _, h := range s.Hottest {
		p.f("  %s: total %.1f (fit %.1f, engagement %.1f), grade %s, %s", h.LeadID, h.Total, h.Fit, h.Engagement, orNone(h.Grade), h.Qualification.Stage)
		if h.Qualification.Next != "" {
			p.f("; for %s still missing: %s", h.Qualification.Next, strings.Join(h.Qualification.Unmet, ", "))
		}
		p.f("\n")
		for _, c := range h.Contributions {
			p.f("      %+6.1f  %s", c.Points, c.Rule)
			if c.Matches > 1 {
				p.f(" (%d matches)", c.Matches)
			}
			if c.Clipped != 0 {
				p.f(" (capped, %.1f clipped)", c.Clipped)
			}
			p.f("\n")
		}
	}

	fr := r.Funnel.Report
	p.section("2. Funnel: where leads get lost")
	p.f("%d leads in the funnel; %d data-quality findings\n", fr.Overall.Leads, len(fr.Findings))
	t = p.table("stage\tteam\treached\tconverted\tconversion\tfrom top\tmedian days to next\tstill in")
	for _, st := range fr.Overall.Stages {
		t.row("%s\t%s\t%d\t%d\t%s\t%s\t%s\t%d", st.Stage, st.Team, st.Reached, st.Converted,
			pct(st.Conversion), pct(st.FromTop), days(st.TimeToNext.Median), st.StillIn)
	}
	t.flush()
	p.f("\nWhy leads left (the feedback sales owes marketing)\n")
	t = p.table("from stage\texit\treason\tleads")
	for _, st := range fr.Overall.Stages {
		for i, e := range st.Exits {
			if i == 3 {
				break
			}
			t.row("%s\t%s\t%s\t%d", st.Stage, e.Exit, orNone(e.Reason), e.Leads)
		}
	}
	t.flush()
	p.f("\nBy channel: lead to customer\n")
	t = p.table("channel\tleads\tcustomers\tconversion")
	for _, b := range fr.Segments {
		last := b.Stages[len(b.Stages)-1]
		t.row("%s\t%d\t%d\t%s", orNone(b.Key), b.Leads, last.Reached, pct(b.Conversion))
	}
	t.flush()

	p.section("3. Shared KPIs")
	kr := r.KPIs.Report
	t = p.table("quarter\tspend\tleads\tcost/lead\tMQL→SQL\twin rate\tavg deal\tcycle days (median)\tCAC\tROAS\tLTV:CAC")
	for _, row := range kr.Rows {
		if row.Dimension != "" {
			continue
		}
		t.row("%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", row.Period, row.Spend.StringFixed(0), row.Leads,
			money(row.CostPerLead), pct(row.MQLToSQL), pct(row.WinRate), money(row.AverageDealSize),
			days(row.SalesCycle.Median), money(row.CustomerAcquisitionCost), fixed(row.ROAS, 2), fixed(row.LTVToCAC, 1))
	}
	t.flush()
	p.f("\nBy channel, whole period\n")
	t = p.table("channel\tspend\tleads\tcost/lead\ttraffic→lead\twon\trevenue\tCAC\tROAS")
	for _, row := range kr.Rows {
		if row.Period != kpi.AllPeriods || row.Dimension == "" {
			continue
		}
		t.row("%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s", row.Segment, row.Spend.StringFixed(0), row.Leads,
			money(row.CostPerLead), pct(row.TrafficToLead), row.Won, row.Revenue.StringFixed(0),
			money(row.CustomerAcquisitionCost), fixed(row.ROAS, 2))
	}
	t.flush()

	p.section("4. SLAs: does each team keep its promises?")
	t = p.table("policy\tteam\tmet\tbreached\tpending\tat risk\tcompliance\tmedian time")
	for _, pr := range r.SLA.Policies {
		t.row("%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s", pr.Name, pr.Team, pr.Met, pr.Breached, pr.Pending, pr.AtRisk,
			pct(pr.Compliance), hours(pr.Time.Median))
	}
	t.flush()
	p.f("\n")
	t = p.table("team\tmet\tbreached\tcompliance")
	for _, tr := range r.SLA.Teams {
		t.row("%s\t%d\t%d\t%s", tr.Team, tr.Met, tr.Breached, pct(tr.Compliance))
	}
	t.flush()
	if len(r.SLA.Policies) > 0 && len(r.SLA.Policies[0].Owners) > 0 {
		pr := r.SLA.Policies[0]
		p.f("\n%s, by owner\n", pr.Name)
		t = p.table("owner\tmet\tbreached\tcompliance\tmedian time")
		for _, o := range pr.Owners {
			t.row("%s\t%d\t%d\t%s\t%s", orNone(o.Owner), o.Met, o.Breached, pct(o.Compliance), hours(o.Time.Median))
		}
		t.flush()
	}
	for _, tr := range r.SLA.Teams {
		if len(tr.Breaches) == 0 {
			continue
		}
		p.f("\nMost overdue %s breaches (lateness in business time)\n", tr.Team)
		t = p.table("policy\tlead\towner\tdeadline\tlate by\tcause")
		for i, b := range tr.Breaches {
			if i == 5 {
				break
			}
			t.row("%s\t%s\t%s\t%s\t%s\t%s", b.Policy, b.LeadID, orNone(b.Owner), b.Deadline.Format("2006-01-02 15:04"), hours(&b.Late), b.Cause)
		}
		t.flush()
	}

	p.section("5. Plan: what next quarter's target needs")
	if r.Plan.Error != "" {
		p.f("no plan: %s\n", r.Plan.Error)
	} else {
		pl := r.Plan
		p.f("target %s by %s at an average deal of %s and %s per lead\n", pl.Goal.Revenue.StringFixed(0),
			pl.Goal.Deadline.Format(time.DateOnly), pl.Goal.AverageDealSize.StringFixed(2), pl.Goal.CostPerLead.StringFixed(2))
		t = p.table("stage\tteam\tneeded\tby")
		for _, st := range pl.Requirements.Stages {
			t.row("%s\t%s\t%d\t%s", st.Stage, st.Team, st.Needed, st.By.Format(time.DateOnly))
		}
		t.flush()
		p.f("marketing budget: %s\n", pl.Requirements.Budget.StringFixed(2))
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) section(title string) {
	p.f("\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
}

type table struct {
	p  *printer
	tw *tabwriter.Writer
}

func (p *printer) table(header string) *table {
	t := &table{p: p, tw: tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)}
	t.row("%s", header)
	return t
}

func (t *table) row(format string, args ...any) {
	if t.p.err == nil {
		_, t.p.err = fmt.Fprintf(t.tw, "  "+format+"\n", args...)
	}
}

func (t *table) flush() {
	if err := t.tw.Flush(); err != nil && t.p.err == nil {
		t.p.err = err
	}
}

func pct(r kpi.Ratio) string {
	v, err := r.Percent(1)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(1) + "%"
}

func money(r kpi.Ratio) string { return fixed(r, 2) }

func fixed(r kpi.Ratio, places int32) string {
	v, err := r.Value(places)
	if err != nil {
		return "n/a"
	}
	return v.StringFixed(places)
}

// days prints a duration in days (elapsed hours / 24), "n/a" when it is
// undefined.
func days(d *leadkit.Duration) string {
	if d == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", d.Std().Hours()/24)
}

// hours prints a duration in hours and minutes ("30h42m"), "n/a" when it
// is undefined. SLA times are in the policy's clock, usually business
// time, where a "day" of 24 hours would mislead: 24 business hours are
// three working days.
func hours(d *leadkit.Duration) string {
	if d == nil {
		return "n/a"
	}
	m := int64(d.Std().Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
