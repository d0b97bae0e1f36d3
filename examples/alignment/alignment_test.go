package alignment

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

var update = flag.Bool("update", false, "rewrite testdata/report.golden")

func build(t *testing.T, leads int, asOf time.Time) (*Report, Data) {
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
	r, err := Build(a, d, asOf)
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
	if int64(r.Leads) != visible {
		t.Errorf("report covers %d leads; %d were created by as-of", r.Leads, visible)
	}
	var graded int64
	for _, g := range r.Scoring.Grades {
		graded += g.Leads
	}
	if graded != visible-int64(r.Scoring.Errors) {
		t.Errorf("grades hold %d leads; want %d", graded, visible)
	}
	if got := r.Funnel.Report.Leads - r.Funnel.Report.NotYetCreated; got != visible {
		t.Errorf("funnel saw %d leads; want %d", got, visible)
	}
	var totals kpi.Row
	for _, row := range r.KPIs.Report.Rows {
		if row.Period == kpi.AllPeriods && row.Dimension == "" {
			totals = row
		}
	}
	if totals.Leads != visible {
		t.Errorf("scorecard counted %d leads; want %d", totals.Leads, visible)
	}
	// The response policy starts a clock on every lead that entered MQL
	// by as-of (the sample has no segment on it).
	resp := r.SLA.Policies[0]
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
	for _, row := range r.KPIs.Report.Rows {
		if row.Period != kpi.AllPeriods && row.Period > last {
			t.Errorf("KPI period %s is after as-of (%s)", row.Period, last)
		}
	}
}

// TestReportGolden pins the whole text report on a small sample, so a
// change in any package that moves a figure shows up in review. Run
// with -update after checking the difference is intended.
func TestReportGolden(t *testing.T) {
	r, _ := build(t, 400, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/report.golden", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/report.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("report differs from testdata/report.golden; run go test -update and review the diff.\ngot:\n%s", buf.String())
	}
	// The JSON form encodes.
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}
