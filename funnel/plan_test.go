package funnel

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func rate(s string) kpi.Ratio { return kpi.NewRatio(dec(s), decimal.NewFromInt(1)) }

// standardRates are conversion rates for Standard(): lead→mql 0.25,
// mql→sal 0.5, sal→sql 0.7, sql→opportunity 0.5, opportunity→customer 0.3.
func standardRates() map[lead.Stage]kpi.Ratio {
	return map[lead.Stage]kpi.Ratio{
		"lead": rate("0.25"), "mql": rate("0.5"), "sal": rate("0.7"), "sql": rate("0.5"), "opportunity": rate("0.3"),
	}
}

// days returns n days as a leadkit.Duration.
func days(n int) leadkit.Duration { return leadkit.Duration(time.Duration(n) * 24 * time.Hour) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestPlan(t *testing.T) {
	deadline := day(2024, 12, 31)
	for _, tc := range []struct {
		name   string
		goal   Goal
		needed []int64
		by     []time.Time
		budget string
	}{
		{
			// Remaining 100000 − 20000 = 80000; 80000/10000 = 8 deals.
			// Upwards, exact at every step: opportunity 8/0.3 = 26.67
			// → 27; sql 26.67/0.5 = 53.33 → 54; sal 53.33/0.7 = 76.19
			// → 77; mql 76.19/0.5 = 152.38 → 153; lead 152.38/0.25 =
			// 609.52 → 610. Budget 610 × 50 = 30500.
			// Dates: cycle 100 days over 5 gaps = 20 days each, back from
			// Dec 31: Sep 22, Oct 12, Nov 1, Nov 21, Dec 11, Dec 31.
			name: "pipeline counts towards target",
			goal: Goal{Revenue: dec("100000"), OpenPipeline: dec("20000"), AverageDealSize: dec("10000"),
				Rates: standardRates(), CostPerLead: dec("50"), Deadline: deadline, SalesCycle: leadkit.Duration(100 * 24 * time.Hour)},
			needed: []int64{610, 153, 77, 54, 27, 8},
			by:     []time.Time{day(2024, 9, 22), day(2024, 10, 12), day(2024, 11, 1), day(2024, 11, 21), day(2024, 12, 11), deadline},
			budget: "30500",
		},
		{
			// Rounding once per stage from the exact value: 95000/10000
			// = 9.5 deals → 10; opportunity 95/3 = 31.67 → 32; sql 190/3
			// = 63.33 → 64; sal 1900/21 = 90.48 → 91; mql 3800/21 =
			// 180.95 → 181; lead 15200/21 = 723.81 → 724 (Python
			// fractions). Compounding ceilings would give 34, 68, 98,
			// 196, 784. Budget 724 × 10 = 7240.
			name: "rounding does not compound",
			goal: Goal{Revenue: dec("95000"), AverageDealSize: dec("10000"),
				Rates: standardRates(), CostPerLead: dec("10"), Deadline: deadline},
			needed: []int64{724, 181, 91, 64, 32, 10},
			// No cycle: every stage is due at the deadline.
			by:     []time.Time{deadline, deadline, deadline, deadline, deadline, deadline},
			budget: "7240",
		},
		{
			// The pipeline covers the target: nothing needed.
			name: "target covered",
			goal: Goal{Revenue: dec("5000"), OpenPipeline: dec("6000"), AverageDealSize: dec("1000"),
				Rates: standardRates(), CostPerLead: dec("10"), Deadline: deadline},
			needed: []int64{0, 0, 0, 0, 0, 0},
			by:     []time.Time{deadline, deadline, deadline, deadline, deadline, deadline},
			budget: "0",
		},
		{
			// Stage times: back from Dec 31 by opportunity 30d (Dec 1),
			// sql 10d (Nov 21), sal 1d (Nov 20), mql 2d (Nov 18), lead
			// 14d (Nov 4). Rates of exactly 1/3 from a report: 3 deals
			// (30/10) need 9 opportunities, where 0.3333 would give
			// 3/0.3333 = 9.0009 → 10. Others 1: 9 everywhere.
			name: "stage times and exact ratios",
			goal: Goal{Revenue: dec("30"), AverageDealSize: dec("10"), CostPerLead: dec("1.5"), Deadline: deadline,
				Rates: map[lead.Stage]kpi.Ratio{
					"lead": kpi.RatioOf(7, 7), "mql": kpi.RatioOf(4, 4), "sal": kpi.RatioOf(2, 2), "sql": kpi.RatioOf(5, 5), "opportunity": kpi.RatioOf(2, 6),
				},
				StageTimes: map[lead.Stage]leadkit.Duration{
					"lead": days(14), "mql": days(2), "sal": days(1), "sql": days(10), "opportunity": days(30),
				}},
			needed: []int64{9, 9, 9, 9, 9, 3},
			by:     []time.Time{day(2024, 11, 4), day(2024, 11, 18), day(2024, 11, 20), day(2024, 11, 21), day(2024, 12, 1), deadline},
			budget: "13.5", // 9 × 1.5
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := Plan(Standard(), tc.goal)
			if err != nil {
				t.Fatal(err)
			}
			var needed []int64
			var by []time.Time
			for _, s := range req.Stages {
				needed = append(needed, s.Needed)
				by = append(by, s.By)
			}
			if diff := cmp.Diff(tc.needed, needed); diff != "" {
				t.Errorf("needed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.by, by); diff != "" {
				t.Errorf("by (-want +got):\n%s", diff)
			}
			if !req.Budget.Equal(dec(tc.budget)) {
				t.Errorf("budget = %s, want %s", req.Budget, tc.budget)
			}
		})
	}
}

func TestPlanCostEach(t *testing.T) {
	goal := Goal{Revenue: dec("100000"), OpenPipeline: dec("20000"), AverageDealSize: dec("10000"),
		Rates: standardRates(), CostPerLead: dec("50"), Deadline: day(2024, 12, 31)}
	req, err := Plan(Standard(), goal)
	if err != nil {
		t.Fatal(err)
	}
	// Budget 30500 (see TestPlan): per MQL 30500/153 = 199.35; per
	// customer 30500/8 = 3812.5.
	if got := req.Stages[1].CostEach.String(); got != "199.3464" {
		t.Errorf("cost per mql = %s, want 199.3464", got)
	}
	if got := req.Stages[5].CostEach.String(); got != "3812.5000" {
		t.Errorf("cost per customer = %s, want 3812.5000", got)
	}
	// Exact need at mql: 80000 × 1·1·1 / (10000 × 0.5·0.7·0.5·0.3) =
	// 8 / 0.0525 = 152.38…
	if got := req.Stages[1].Exact.String(); got != "152.3810" {
		t.Errorf("exact mql = %s, want 152.3810", got)
	}
}

func TestPlanErrors(t *testing.T) {
	rates := standardRates()
	delete(rates, "sal")
	rates["mql"] = rate("0")
	rates["sql"] = kpi.Ratio{}
	rates["opportunity"] = rate("1.2")
	rates["lead"] = rate("-0.1")
	rates["customer"] = rate("0.5")
	rates["nowhere"] = rate("0.5")
	goal := Goal{
		Revenue: dec("-1"), OpenPipeline: dec("-2"), AverageDealSize: dec("0"), CostPerLead: dec("-3"),
		Rates: rates, SalesCycle: leadkit.Duration(-time.Hour), StageTimes: map[lead.Stage]leadkit.Duration{"lead": -1},
	}
	_, err := Plan(Standard(), goal)
	want := []string{
		`revenue: negative (-1)`,
		`open_pipeline: negative (-2)`,
		`average_deal_size: 0; must be positive`,
		`cost_per_lead: negative (-3)`,
		`deadline: zero time`,
		`sales_cycle: negative (-1h)`,
		`stage_times: given together with sales_cycle; give one of them`,
		`rates["lead"]: negative (-0.1/1)`,
		`stage_times["lead"]: negative (-1ns)`,
		`rates["mql"]: zero; no number of leads at "mql" reaches "sal"`,
		`stage_times["mql"]: missing; give the time from "mql" to "sal"`,
		`rates["sal"]: missing; give the conversion rate from "sal" to "sql"`,
		`stage_times["sal"]: missing; give the time from "sal" to "sql"`,
		`rates["sql"]: undefined (0/0); no lead of the sample reached "sql"`,
		`stage_times["sql"]: missing; give the time from "sql" to "opportunity"`,
		`rates["opportunity"]: 1.2/1 is above 1; a stage cannot convert more leads than it has`,
		`stage_times["opportunity"]: missing; give the time from "opportunity" to "customer"`,
		`rates["customer"]: the last stage has no next stage`,
		`rates["nowhere"]: not a stage of the funnel`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var fe *leadkit.Error
	if !errors.As(err, &fe) {
		t.Error("not a *leadkit.Error")
	}
	huge := Goal{Revenue: decimal.New(1, 999_999_999), AverageDealSize: dec("1e-31"), Deadline: day(2024, 1, 1),
		Rates: map[lead.Stage]kpi.Ratio{"lead": kpi.NewRatio(dec("1"), dec("1e31")), "mql": rate("1"), "sal": rate("1"), "sql": rate("1"), "opportunity": rate("1")}}
	_, err = Plan(Standard(), huge)
	wantHuge := []string{
		// 1e999999999 has a billion digits before the point; 1e-31 has 31
		// after it; 1e31 has 32 before it.
		`revenue: out of range; use at most 30 digits before and 30 after the decimal point`,
		`average_deal_size: out of range; use at most 30 digits before and 30 after the decimal point`,
		`rates["lead"]: out of range; use at most 30 digits before and 30 after the decimal point`,
	}
	if err == nil {
		t.Fatal("no error for huge numbers")
	}
	if diff := cmp.Diff(wantHuge, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("huge (-want +got):\n%s", diff)
	}
	if _, err := Plan(Funnel{}, Goal{}); err == nil || !strings.Contains(err.Error(), "stages: no stages") {
		t.Errorf("invalid funnel: %v", err)
	}
}

func TestPlanFromReport(t *testing.T) {
	// The two-stage funnel mql → customer, with 4 MQLs of which 1 is
	// won after 10 days: rate 1/4, median time 10 days.
	f := Funnel{Stages: []Stage{{Name: "mql", Team: lead.TeamMarketing}, {Name: "customer", Team: lead.TeamSales}}, Handoff: "customer"}
	leads := []lead.Lead{
		mk("a", tr("mql", 0), tr("customer", 240)),
		mk("b", tr("mql", 0)), mk("c", tr("mql", 0)), mk("d", tr("mql", 0)),
	}
	r := analyze(t, f, leads, opts{})
	goal := Goal{Revenue: dec("500"), AverageDealSize: dec("100"), CostPerLead: dec("20"), Deadline: day(2024, 6, 30),
		Rates: RatesFrom(r.Overall), StageTimes: StageTimesFrom(r.Overall)}
	req, err := Plan(f, goal)
	if err != nil {
		t.Fatal(err)
	}
	// 5 deals at 1/4: 20 MQLs, due 10 days before Jun 30 (Jun 20);
	// budget 20 × 20 = 400.
	if req.Stages[0].Needed != 20 || req.Stages[1].Needed != 5 || !req.Stages[0].By.Equal(day(2024, 6, 20)) || !req.Budget.Equal(dec("400")) {
		t.Errorf("plan = %+v", req)
	}
	// No lead converted: the rate is zero and Plan names the stage.
	r2 := analyze(t, f, leads[1:], opts{})
	goal.Rates, goal.StageTimes = RatesFrom(r2.Overall), nil
	if _, err := Plan(f, goal); err == nil || err.Error() != `rates["mql"]: zero; no number of leads at "mql" reaches "customer"` {
		t.Errorf("zero rate: %v", err)
	}
}

// TestPlanInProgress: leads already in a stage count towards the target.
func TestPlanInProgress(t *testing.T) {
	deadline := day(2026, 4, 1)
	for _, tc := range []struct {
		name       string
		inProgress map[lead.Stage]int64
		needed     []int64
		budget     string
	}{
		{
			// 100000/10000 = 10 wins. In progress: 10 opportunities
			// expect 10 × 0.3 = 3 wins, 4 SQLs 4 × 0.5 × 0.3 = 0.6.
			// customer: 10 (the last stage ignores leads in progress);
			// opportunity (10 − 3)/0.3 = 70/3 = 23.33 → 24;
			// sql (10 − 3.6)/0.15 = 128/3 = 42.67 → 43;
			// sal 6.4/0.105 = 1280/21 = 60.95 → 61;
			// mql 6.4/0.0525 = 2560/21 = 121.90 → 122;
			// lead 6.4/0.013125 = 10240/21 = 487.62 → 488 (Python
			// fractions). Budget 488 × 10 = 4880.
			name:       "opportunities and SQLs in progress",
			inProgress: map[lead.Stage]int64{"opportunity": 10, "sql": 4},
			needed:     []int64{488, 122, 61, 43, 24, 10},
			budget:     "4880",
		},
		{
			// 40 opportunities expect 12 wins > 10: nothing more is
			// needed above the customer stage, whose 10 wins come from
			// them.
			name:       "in progress covers the target",
			inProgress: map[lead.Stage]int64{"opportunity": 40},
			needed:     []int64{0, 0, 0, 0, 0, 10},
			budget:     "0",
		},
		{
			// Without leads in progress: 10/0.3 = 33.3 → 34, 66.7 → 67,
			// 95.2 → 96, 190.5 → 191, 761.9 → 762; budget 7620.
			name:   "none",
			needed: []int64{762, 191, 96, 67, 34, 10},
			budget: "7620",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := Plan(Standard(), Goal{Revenue: dec("100000"), AverageDealSize: dec("10000"),
				Rates: standardRates(), CostPerLead: dec("10"), Deadline: deadline, InProgress: tc.inProgress})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, s := range req.Stages {
				got = append(got, s.Needed)
				if s.InProgress != tc.inProgress[s.Stage] && s.Stage != "customer" {
					t.Errorf("%s: InProgress %d, want %d", s.Stage, s.InProgress, tc.inProgress[s.Stage])
				}
			}
			if !slices.Equal(got, tc.needed) {
				t.Errorf("needed %v, want %v", got, tc.needed)
			}
			if !req.Budget.Equal(dec(tc.budget)) {
				t.Errorf("budget %s, want %s", req.Budget, tc.budget)
			}
		})
	}
}

func TestPlanInProgressErrors(t *testing.T) {
	_, err := Plan(Standard(), Goal{Revenue: dec("1"), AverageDealSize: dec("1"), Rates: standardRates(),
		Deadline: day(2026, 1, 1), InProgress: map[lead.Stage]int64{"sql": -1, "nope": 1, "customer": 2}})
	for _, want := range []string{`in_progress["sql"]: negative (-1)`, `in_progress["nope"]: not a stage`, `in_progress["customer"]: the last stage`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestDecidedRatesFrom(t *testing.T) {
	b := Breakdown{Stages: []StageReport{
		// 100 reached, 20 still in: 30 of the 80 decided went on.
		{Stage: "lead", Reached: 100, Converted: 30, StillIn: 20},
		// every lead still in: undefined.
		{Stage: "mql", Reached: 30, Converted: 0, StillIn: 30},
		{Stage: "customer", Reached: 0},
	}}
	got := DecidedRatesFrom(b)
	if len(got) != 2 {
		t.Fatalf("rates %v; want lead and mql only", got)
	}
	if v, err := got["lead"].Value(4); err != nil || !v.Equal(dec("0.375")) {
		t.Errorf("lead rate %v (%v); want 30/80 = 0.375", v, err)
	}
	if got["mql"].Defined() {
		t.Errorf("mql rate %v; want undefined (0/0)", got["mql"])
	}
	ip := InProgressFrom(b)
	if len(ip) != 2 || ip["lead"] != 20 || ip["mql"] != 30 {
		t.Errorf("InProgressFrom = %v; want lead 20, mql 30", ip)
	}
}

func TestDeadline(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		p    leadkit.Period
		asOf time.Time
		loc  *time.Location
		want time.Time
	}{
		// 2026-02-10 is in Q1, which ends at April 1st's midnight.
		{leadkit.Quarter, day(2026, 2, 10), nil, day(2026, 4, 1)},
		{leadkit.Month, day(2026, 2, 10), nil, day(2026, 3, 1)},
		// 2026-02-10 is a Tuesday; its ISO week ends Monday 16th.
		{leadkit.Week, day(2026, 2, 10), nil, day(2026, 2, 16)},
		// The first instant of a period belongs to it.
		{leadkit.Quarter, day(2026, 4, 1), nil, day(2026, 7, 1)},
		// 2026-04-01 00:00 UTC is still March 31st in New York.
		{leadkit.Quarter, day(2026, 4, 1), ny, time.Date(2026, 4, 1, 0, 0, 0, 0, ny)},
	} {
		got, err := Deadline(tc.p, tc.asOf, tc.loc)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("Deadline(%s, %s) = %s, %v; want %s", tc.p, tc.asOf, got, err, tc.want)
		}
	}
	if _, err := Deadline("fortnight", day(2026, 1, 1), nil); err == nil {
		t.Error("Deadline accepted an unknown period")
	}
}

// A quarter's plan made on 2026-02-10 runs to the quarter's end, and the
// leads already being worked count towards it.
func ExamplePlan_inProgress() {
	deadline, err := Deadline(leadkit.Quarter, time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rate := func(s string) kpi.Ratio { return kpi.NewRatio(decimal.RequireFromString(s), decimal.NewFromInt(1)) }
	// 1,000,000 / 25,000 = 40 wins. The 40 opportunities expect 40 ×
	// 0.25 = 10 of them, the 20 SQLs 20 × 0.5 × 0.25 = 2.5: opportunity
	// (40 − 10) / 0.25 = 120, sql (40 − 12.5) / 0.125 = 220, sal 27.5 /
	// 0.1 = 275, mql 27.5 / 0.06 = 458.3 → 459, lead 27.5 / 0.018 =
	// 1527.8 → 1528; budget 1528 × 120 = 183360.
	req, err := Plan(Standard(), Goal{
		Revenue:         decimal.NewFromInt(1_000_000),
		AverageDealSize: decimal.NewFromInt(25_000),
		Rates: map[lead.Stage]kpi.Ratio{
			"lead": rate("0.3"), "mql": rate("0.6"), "sal": rate("0.8"), "sql": rate("0.5"), "opportunity": rate("0.25"),
		},
		InProgress:  map[lead.Stage]int64{"sql": 20, "opportunity": 40},
		CostPerLead: decimal.NewFromInt(120),
		Deadline:    deadline,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("deadline:", deadline.Format(time.DateOnly))
	for _, s := range req.Stages {
		fmt.Printf("%-12s in progress %3d, still needed %4d\n", s.Stage, s.InProgress, s.Needed)
	}
	fmt.Println("budget:", req.Budget)
	// Output:
	// deadline: 2026-04-01
	// lead         in progress   0, still needed 1528
	// mql          in progress   0, still needed  459
	// sal          in progress   0, still needed  275
	// sql          in progress  20, still needed  220
	// opportunity  in progress  40, still needed  120
	// customer     in progress   0, still needed   40
	// budget: 183360
}
