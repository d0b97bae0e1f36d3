package alignment

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/sla"
	"github.com/shopspring/decimal"
)

func build(t *testing.T, leads int, asOf time.Time) (*Report, Data) {
	t.Helper()
	return buildWith(t, leads, Options{AsOf: asOf, Period: leadkit.Quarter})
}

func buildWith(t *testing.T, leads int, opt Options) (*Report, Data) {
	t.Helper()
	a, err := DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := sample.Generate(sample.Config{Seed: 7, Leads: leads})
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Leads: ds.Leads, Deals: ds.Deals, Customers: ds.Customers, Spend: ds.Spend, Visits: ds.Visits}
	r, err := Build(a, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r, d
}

// TestSectionsAgree checks the packages against each other and against
// counts taken straight from the data: every section must see the same
// leads.
func TestSectionsAgree(t *testing.T) {
	for _, asOf := range []time.Time{
		time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), // the report's default: later events exist in the sample
	} {
		t.Run(asOf.Format(time.DateOnly), func(t *testing.T) { sectionsAgree(t, asOf) })
	}
}

func sectionsAgree(t *testing.T, asOf time.Time) {
	r, d := build(t, 800, asOf)

	// Counted directly: leads created by asOf, and those that entered MQL
	// by asOf.
	var visible, mqls, customers int64
	for i := range d.Leads {
		l := &d.Leads[i]
		if l.CreatedAt.After(asOf) {
			continue
		}
		visible++
		if at, ok := l.EnteredAt(lead.StageMQL); ok && !at.After(asOf) {
			mqls++
		}
		if at, ok := l.EnteredAt(lead.StageCustomer); ok && !at.After(asOf) {
			customers++
		}
	}
	// Every section is made as of the same instant.
	if !r.AsOf.Equal(asOf) || !r.Funnel.Report.AsOf.Equal(asOf) || !r.SLA.Report.AsOf.Equal(asOf) ||
		r.KPIs.AsOf == nil || !r.KPIs.AsOf.Equal(asOf) {
		t.Errorf("as-of: report %s, funnel %s, sla %s, kpi %v; want %s", r.AsOf, r.Funnel.Report.AsOf, r.SLA.Report.AsOf, r.KPIs.AsOf, asOf)
	}
	if r.Leads != visible {
		t.Errorf("report covers %d leads; %d were created by as-of", r.Leads, visible)
	}
	var graded int64
	for _, g := range r.Scoring.Grades {
		graded += g.Leads
	}
	if graded != visible-r.Scoring.Errors {
		t.Errorf("grades hold %d leads; want %d", graded, visible)
	}
	if got := r.Funnel.Report.Leads - r.Funnel.Report.NotYetCreated; got != visible {
		t.Errorf("funnel saw %d leads; want %d", got, visible)
	}
	var totals kpi.Row
	for _, row := range r.KPIs.Rows {
		if row.Period == kpi.AllPeriods && row.Dimension == "" {
			totals = row
		}
	}
	if totals.Leads != visible {
		t.Errorf("scorecard counted %d leads; want %d", totals.Leads, visible)
	}
	// The response policy starts a clock on every lead that entered MQL
	// by as-of (the sample has no segment on it).
	resp := r.SLA.Report.Policies[0]
	if n := resp.Met + resp.Breached + resp.Pending + resp.AtRisk; n != mqls {
		t.Errorf("response policy judged %d leads; %d entered MQL", n, mqls)
	}
	// The funnel's customer stage is reached by exactly the leads that
	// entered it (implied skips can only add leads that went further,
	// and customer is the last stage).
	stages := r.Funnel.Report.Overall.Stages
	if last := stages[len(stages)-1]; last.Reached != customers {
		t.Errorf("funnel customers %d; %d leads entered customer", last.Reached, customers)
	}
	// The KPI section sees the same world: its won leads are the funnel's
	// customers, its MQLs the leads qualified by as-of, and no period
	// starts after as-of. Qualified by as-of means, counted here
	// directly: a transition at or before as-of into MQL or a later stage
	// of the ladder (the sample fast-tracks some leads past MQL), or a
	// current stage at or past MQL when no transition is after as-of.
	if got := r.Accounts.Leads + r.Accounts.Unkeyed; got != visible {
		t.Errorf("accounts saw %d leads; %d were created by as-of", got, visible)
	}
	if totals.LeadsWon != customers {
		t.Errorf("KPI won leads %d; funnel customers %d", totals.LeadsWon, customers)
	}
	ladder := lead.Lifecycle()
	rank := func(s lead.Stage) int { return slices.Index(ladder, s) }
	var qualified int64
	for i := range d.Leads {
		l := &d.Leads[i]
		if l.CreatedAt.After(asOf) {
			continue
		}
		reached, later := false, false
		for _, tr := range l.History {
			if tr.At.After(asOf) {
				later = true
			} else if rank(tr.To) >= rank(lead.StageMQL) {
				reached = true
			}
		}
		if !later && rank(l.Stage) >= rank(lead.StageMQL) {
			reached = true
		}
		if reached {
			qualified++
		}
	}
	if totals.MQLs != qualified {
		t.Errorf("KPI MQLs %d; %d leads were qualified by as-of", totals.MQLs, qualified)
	}
	last := leadkit.Quarter.Label(asOf, nil)
	for _, row := range r.KPIs.Rows {
		if row.Period != kpi.AllPeriods && row.Period > last {
			t.Errorf("KPI period %s is after as-of (%s)", row.Period, last)
		}
	}
}

// TestReportGolden pins the whole text report and its JSON on a small
// sample, so a change in any package that moves a figure shows up in
// review. Run with -update after checking the difference is intended.
func TestReportGolden(t *testing.T) {
	r, _ := build(t, 400, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file string
		got  []byte
	}{{"testdata/report.golden", text.Bytes()}, {"testdata/report.json.golden", append(js, '\n')}} {
		golden.Check(t, g.file, g.got)
	}
}

// TestReportFits checks the text report fits a 100-column terminal, for
// every period and with a channel filter, and that the JSON has the
// documented top-level keys.
func TestReportFits(t *testing.T) {
	for _, opt := range []Options{
		{AsOf: time.Date(2025, 11, 18, 15, 0, 0, 0, time.UTC), Period: leadkit.Week},
		{AsOf: time.Date(2025, 11, 18, 15, 0, 0, 0, time.UTC), Period: leadkit.Month, Channel: "paid_search"},
		{AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Period: leadkit.Quarter},
	} {
		r, _ := buildWith(t, 600, opt)
		var buf bytes.Buffer
		if err := r.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(buf.String(), "\n") {
			if n := utf8.RuneCountInString(line); n > 100 {
				t.Errorf("%s %s: line %d has %d columns: %q", opt.Period, opt.Channel, i+1, n, line)
			}
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(js, &top); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"as_of", "period", "previous", "headline", "trends", "funnel", "channels", "scoring", "sla", "plan"} {
			if _, ok := top[k]; !ok {
				t.Errorf("JSON lacks %q", k)
			}
		}
	}
}

// TestPeriodsAndFilter checks the headline against counts taken
// straight from the data: the leads created in the period and the one
// before it, for each period length, with and without a channel filter.
func TestPeriodsAndFilter(t *testing.T) {
	asOf := time.Date(2025, 11, 18, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		p                  leadkit.Period
		channel            string
		curStart, prvStart time.Time
		curEnd             time.Time
	}{
		// 2025-11-18 is a Tuesday: its ISO week began Monday the 17th.
		{leadkit.Week, "", time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)},
		{leadkit.Month, "email", time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)},
		{leadkit.Quarter, "", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		r, d := buildWith(t, 600, Options{AsOf: asOf, Period: tc.p, Channel: tc.channel})
		if !r.Period.Start.Equal(tc.curStart) || !r.Previous.Start.Equal(tc.prvStart) || !r.Period.End.Equal(tc.curEnd) {
			t.Errorf("%s: period %+v, previous %+v", tc.p, r.Period, r.Previous)
		}
		var cur, prv int64
		for i := range d.Leads {
			l := &d.Leads[i]
			if tc.channel != "" && string(l.Source.Channel) != tc.channel {
				continue
			}
			switch c := l.CreatedAt; {
			case !c.Before(tc.curStart) && !c.After(asOf):
				cur++
			case !c.Before(tc.prvStart) && c.Before(tc.curStart):
				prv++
			}
		}
		m := r.Headline[0]
		if m.Key != "leads" || !m.Current.Num.Equal(decimal.NewFromInt(cur)) || !m.Previous.Num.Equal(decimal.NewFromInt(prv)) {
			t.Errorf("%s %s: leads %v / %v; counted %d / %d", tc.p, tc.channel, m.Current, m.Previous, cur, prv)
		}
		// The plan runs to the end of the period holding as-of.
		if !r.Plan.Goal.Deadline.Equal(tc.curEnd) && r.Plan.Error == "" {
			t.Errorf("%s: plan deadline %s; want %s", tc.p, r.Plan.Goal.Deadline, tc.curEnd)
		}
		if tc.channel != "" {
			for _, c := range r.Channels {
				if c.Channel != tc.channel {
					t.Errorf("filtered on %s, channel row %s", tc.channel, c.Channel)
				}
			}
		}
	}
}

// TestTrendsCountDirectly checks the weekly series against the data.
func TestTrendsCountDirectly(t *testing.T) {
	asOf := time.Date(2025, 11, 18, 15, 0, 0, 0, time.UTC)
	r, d := buildWith(t, 600, Options{AsOf: asOf, Period: leadkit.Week})
	if len(r.Trends.Points) != Weeks {
		t.Fatalf("%d points", len(r.Trends.Points))
	}
	// The last week is the one holding as-of, Monday 2025-11-17; the
	// first is 12 weeks before it, 2025-08-25.
	first, last := r.Trends.Points[0], r.Trends.Points[Weeks-1]
	if !first.Start.Equal(time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)) || !last.Start.Equal(time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("weeks %s to %s", first.Start, last.Start)
	}
	for _, pt := range r.Trends.Points {
		end := pt.Start.AddDate(0, 0, 7)
		var leads, mqls int64
		for i := range d.Leads {
			l := &d.Leads[i]
			in := func(t time.Time) bool { return !t.Before(pt.Start) && t.Before(end) && !t.After(asOf) }
			if in(l.CreatedAt) {
				leads++
			}
			if at, ok := l.EnteredAt(lead.StageMQL); ok && in(at) {
				mqls++
			}
		}
		if pt.Leads != leads || pt.MQLs != mqls {
			t.Errorf("%s: leads %d MQLs %d; counted %d, %d", pt.Week, pt.Leads, pt.MQLs, leads, mqls)
		}
	}
}

func TestNewBuilderRefuses(t *testing.T) {
	a, err := DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{}, {AsOf: time.Now(), Period: leadkit.Day}, {AsOf: time.Now(), Period: "fortnight"}} {
		if _, err := NewBuilder(a, opt); err == nil {
			t.Errorf("NewBuilder(%+v) accepted", opt)
		}
	}
	b, err := NewBuilder(a, Options{AsOf: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if b.AddLead(nil) == nil || b.AddDeal(nil) == nil || b.AddCustomer(nil) == nil || b.AddSpend(nil) == nil || b.AddVisits(nil) == nil {
		t.Error("a nil record was accepted")
	}
	l := lead.Lead{ID: "x", CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := b.AddLead(&l); err != nil {
		t.Fatal(err)
	}
	if err := b.AddLead(&l); err == nil {
		t.Error("a duplicate lead was accepted")
	}
}

// TestAtRiskComplete checks the at-risk count, the list's cap and its
// order against every lead checked directly. (It caught a builder that
// checked only leads with a recent event, which misses paused clocks and
// follow-ups.)
func TestAtRiskComplete(t *testing.T) {
	asOf := time.Date(2025, 11, 18, 15, 0, 0, 0, time.UTC) // a Tuesday afternoon
	r, d := buildWith(t, 1500, Options{AsOf: asOf, Period: leadkit.Week, MaxAtRisk: 5})
	a, err := DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	checker, err := sla.Compile(a.SLA)
	if err != nil {
		t.Fatal(err)
	}
	weekEnd := time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC)
	var want int64
	for i := range d.Leads {
		l := &d.Leads[i]
		if l.CreatedAt.After(asOf) {
			continue
		}
		results, err := checker.Check(l, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range results {
			if res.Status == sla.StatusAtRisk || (res.Status == sla.StatusPending && res.Deadline.Before(weekEnd)) {
				want++
			}
		}
	}
	if want == 0 {
		t.Fatal("no lead at risk in the sample: the test proves nothing")
	}
	if r.SLA.AtRiskCount != want {
		t.Errorf("at risk %d; checking every lead gives %d", r.SLA.AtRiskCount, want)
	}
	if len(r.SLA.AtRisk) != int(min(want, 5)) {
		t.Errorf("listed %d; want min(%d, 5)", len(r.SLA.AtRisk), want)
	}
	for i := 1; i < len(r.SLA.AtRisk); i++ {
		if r.SLA.AtRisk[i].Deadline.Before(r.SLA.AtRisk[i-1].Deadline) {
			t.Errorf("at-risk list not most urgent first: %v", r.SLA.AtRisk)
		}
	}
}

func TestParseAgreement(t *testing.T) {
	a, err := ParseAgreement([]byte(`{"name":"x","targets":{"revenue":"10","gross_margin":"0.8"}}`))
	if err != nil || len(a.Funnel.Stages) == 0 {
		t.Errorf("a minimal agreement: %v, %d funnel stages; want the standard funnel", err, len(a.Funnel.Stages))
	}
	// A misspelt target must not be dropped silently.
	if _, err := ParseAgreement([]byte(`{"name":"x","targets":{"revenu":"10"}}`)); err == nil || !strings.Contains(err.Error(), "revenu") {
		t.Errorf("unknown field: %v", err)
	}
}
