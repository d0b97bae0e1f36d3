package funnel

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// t0 is the origin of the hand-made histories; at(h) is h hours after it.
var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// tr is a transition into stage s at hour h with an optional reason.
func tr(s lead.Stage, h float64, reason ...string) lead.Transition {
	t := lead.Transition{To: s, At: at(h)}
	if len(reason) > 0 {
		t.Reason = reason[0]
	}
	return t
}

// mk returns a lead created at hour 0 with the given history.
func mk(id string, hist ...lead.Transition) lead.Lead {
	return lead.Lead{ID: id, CreatedAt: t0, History: hist}
}

// testFunnel is the four-stage funnel of the hand-worked tests:
// lead (0) → mql (1) → sql (2) → customer (3), handoff at sql, with
// recycled and disqualified exits; disqualified has agreed reasons.
func testFunnel() Funnel {
	return Funnel{
		Name: "test",
		Stages: []Stage{
			{Name: lead.StageLead, Team: lead.TeamMarketing},
			{Name: lead.StageMQL, Team: lead.TeamMarketing},
			{Name: lead.StageSQL, Team: lead.TeamSales},
			{Name: lead.StageCustomer, Team: lead.TeamSales},
		},
		Handoff: lead.StageSQL,
		Exits: []Exit{
			{Stage: lead.StageRecycled},
			{Stage: lead.StageDisqualified, Reasons: []string{"budget", "competitor"}},
		},
	}
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

// summary is the part of a breakdown most tests check: per stage
// reached, still in, reentered, and the median time to next (-1 when
// undefined).
type summary struct {
	Reached, StillIn, Reentered []int64
	Median                      []time.Duration
}

func summarize(b Breakdown) summary {
	var s summary
	for _, st := range b.Stages {
		s.Reached = append(s.Reached, st.Reached)
		s.StillIn = append(s.StillIn, st.StillIn)
		s.Reentered = append(s.Reentered, st.Reentered)
		m := time.Duration(-1)
		if st.TimeToNext.Median != nil {
			m = st.TimeToNext.Median.Std()
		}
		s.Median = append(s.Median, m)
	}
	return s
}

func mustAnalyze(t *testing.T, leads []lead.Lead, o opts) Report {
	t.Helper()
	return analyze(t, testFunnel(), leads, o)
}

const none = time.Duration(-1)

func TestAnalyzeRules(t *testing.T) {
	full := mk("full", tr("lead", 0), tr("mql", 10), tr("sql", 30), tr("customer", 60))
	for _, tc := range []struct {
		name     string
		leads    []lead.Lead
		opts     opts
		want     summary
		unstaged int64
	}{
		{
			// Every stage entered in order: gaps 10h, 20h, 30h; the lead
			// ends in customer.
			name:  "full chain",
			leads: []lead.Lead{full},
			want: summary{
				Reached: []int64{1, 1, 1, 1}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), hours(30), none},
			},
		},
		{
			// lead → sql skips mql: by default mql is implied (reached),
			// but neither lead→mql nor mql→sql is timed because mql was
			// never entered.
			name:  "skip implied",
			leads: []lead.Lead{mk("skip", tr("lead", 0), tr("sql", 5))},
			want: summary{
				Reached: []int64{1, 1, 1, 0}, StillIn: []int64{0, 0, 1, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{none, none, none, none},
			},
		},
		{
			// Strict: the skipped mql breaks the chain after lead.
			name:  "skip strict",
			leads: []lead.Lead{mk("skip", tr("lead", 0), tr("sql", 5))},
			opts:  opts{Strict: true},
			want: summary{
				Reached: []int64{1, 0, 0, 0}, StillIn: []int64{0, 0, 1, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{none, none, none, none},
			},
		},
		{
			// No lead stage: by default the lead starts at mql (hour 0)
			// and the first stage is implied; mql→sql is 4h, sql→customer
			// 6h.
			name:  "first stage skipped, implied",
			leads: []lead.Lead{mk("late", tr("mql", 0), tr("sql", 4), tr("customer", 10))},
			want: summary{
				Reached: []int64{1, 1, 1, 1}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{none, hours(4), hours(6), none},
			},
		},
		{
			// Strict: no first stage, so not in the funnel at all.
			name:     "first stage skipped, strict",
			leads:    []lead.Lead{mk("late", tr("mql", 0), tr("sql", 4), tr("customer", 10))},
			opts:     opts{Strict: true},
			want:     summary{Reached: []int64{0, 0, 0, 0}, StillIn: []int64{0, 0, 0, 0}, Reentered: []int64{0, 0, 0, 0}, Median: []time.Duration{none, none, none, none}},
			unstaged: 1,
		},
		{
			// Window 48h from the lead entry at hour 0: customer at hour
			// 60 is outside, so the lead reached sql only; the sql→customer
			// gap is not timed. StillIn still shows customer, the snapshot.
			name:  "window excludes",
			leads: []lead.Lead{full},
			opts:  opts{Window: 48 * time.Hour},
			want: summary{
				Reached: []int64{1, 1, 1, 0}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), none, none},
			},
		},
		{
			// Window 60h: customer at exactly hour 60 is on the boundary,
			// which counts as inside.
			name:  "window boundary inside",
			leads: []lead.Lead{full},
			opts:  opts{Window: 60 * time.Hour},
			want: summary{
				Reached: []int64{1, 1, 1, 1}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), hours(30), none},
			},
		},
		{
			// Window 59h59m59s: one second short of customer.
			name:  "window boundary minus a second",
			leads: []lead.Lead{full},
			opts:  opts{Window: 60*time.Hour - time.Second},
			want: summary{
				Reached: []int64{1, 1, 1, 0}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), none, none},
			},
		},
		{
			// Strict with a 25h window: lead@0 and mql@10 are inside,
			// sql@30 is outside, so the chain stops at mql even though
			// every stage was entered.
			name:  "strict window",
			leads: []lead.Lead{full},
			opts:  opts{Strict: true, Window: 25 * time.Hour},
			want: summary{
				Reached: []int64{1, 1, 0, 0}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), none, none, none},
			},
		},
		{
			// As of hour 29: sql (hour 30) is not yet visible, so the lead
			// is still in mql, and with a window of 30h nothing changes.
			name:  "as of before a transition",
			leads: []lead.Lead{full},
			opts:  opts{AsOf: at(29), Window: 30 * time.Hour},
			want: summary{
				Reached: []int64{1, 1, 0, 0}, StillIn: []int64{0, 1, 0, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), none, none, none},
			},
		},
		{
			// Window with an implied skip: lead@0 → customer@50, window
			// 48h. Customer is outside, and nothing else was entered, so
			// only lead is reached (the skip is implied only by a stage
			// reached within the window).
			name:  "window with skip",
			leads: []lead.Lead{mk("jump", tr("lead", 0), tr("customer", 50))},
			opts:  opts{Window: 48 * time.Hour},
			want: summary{
				Reached: []int64{1, 0, 0, 0}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{none, none, none, none},
			},
		},
		{
			// As of hour 30: sql at hour 30 is visible (at or before),
			// customer at 60 is not; the lead is still in sql.
			name:  "as of",
			leads: []lead.Lead{full},
			opts:  opts{AsOf: at(30)},
			want: summary{
				Reached: []int64{1, 1, 1, 0}, StillIn: []int64{0, 0, 1, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), none, none},
			},
		},
		{
			// Backward move and re-entry: lead@0, mql@10, lead@20,
			// mql@30, sql@40. First entries count: lead 0, mql 10, sql 40,
			// so lead→mql 10h and mql→sql 30h. lead and mql were each
			// re-entered once.
			name:  "re-entry",
			leads: []lead.Lead{mk("back", tr("lead", 0), tr("mql", 10), tr("lead", 20), tr("mql", 30), tr("sql", 40))},
			want: summary{
				Reached: []int64{1, 1, 1, 0}, StillIn: []int64{0, 0, 1, 0}, Reentered: []int64{1, 1, 0, 0},
				Median: []time.Duration{hours(10), hours(30), none, none},
			},
		},
		{
			// A repeated transition into the stage the lead is already in
			// is not a re-entry.
			name:  "duplicate is not re-entry",
			leads: []lead.Lead{mk("dup", tr("lead", 0), tr("lead", 1), tr("mql", 2))},
			want: summary{
				Reached: []int64{1, 1, 0, 0}, StillIn: []int64{0, 1, 0, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(2), none, none, none},
			},
		},
		{
			// History out of order in the slice: sorted by time first,
			// so this is the full chain.
			name:  "unsorted history",
			leads: []lead.Lead{mk("u", tr("customer", 60), tr("mql", 10), tr("lead", 0), tr("sql", 30))},
			want: summary{
				Reached: []int64{1, 1, 1, 1}, StillIn: []int64{0, 0, 0, 1}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{hours(10), hours(20), hours(30), none},
			},
		},
		{
			// No history: the lead entered Lead.Stage (mql) at creation.
			name:  "no history",
			leads: []lead.Lead{{ID: "nh", CreatedAt: t0, Stage: lead.StageMQL}},
			want: summary{
				Reached: []int64{1, 1, 0, 0}, StillIn: []int64{0, 1, 0, 0}, Reentered: []int64{0, 0, 0, 0},
				Median: []time.Duration{none, none, none, none},
			},
		},
		{
			// Recycled and back: lead@0, mql@5, recycled@8, mql@20 is not
			// an exit; mql was re-entered and is the current stage.
			name:  "recycled and back",
			leads: []lead.Lead{mk("rb", tr("lead", 0), tr("mql", 5), tr("recycled", 8, "not now"), tr("mql", 20))},
			want: summary{
				Reached: []int64{1, 1, 0, 0}, StillIn: []int64{0, 1, 0, 0}, Reentered: []int64{0, 1, 0, 0},
				Median: []time.Duration{hours(5), none, none, none},
			},
		},
		{
			// Only an exit, no stage: not in the funnel.
			name:     "exit only",
			leads:    []lead.Lead{mk("x", tr("disqualified", 1, "budget"))},
			want:     summary{Reached: []int64{0, 0, 0, 0}, StillIn: []int64{0, 0, 0, 0}, Reentered: []int64{0, 0, 0, 0}, Median: []time.Duration{none, none, none, none}},
			unstaged: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustAnalyze(t, tc.leads, tc.opts)
			if diff := cmp.Diff(tc.want, summarize(r.Overall)); diff != "" {
				t.Errorf("overall (-want +got):\n%s", diff)
			}
			if r.Unstaged != tc.unstaged {
				t.Errorf("Unstaged = %d, want %d", r.Unstaged, tc.unstaged)
			}
			if r.Leads != int64(len(tc.leads)) {
				t.Errorf("Leads = %d, want %d", r.Leads, len(tc.leads))
			}
		})
	}
}

func TestAnalyzeAsOfHidesLeadsCreatedLater(t *testing.T) {
	late := mk("late", tr("lead", 50))
	late.CreatedAt = at(50)
	r := mustAnalyze(t, []lead.Lead{mk("a", tr("lead", 0)), late}, opts{AsOf: at(40)})
	// 2 added, 1 created at hour 50 > as-of 40, 1 in the funnel.
	if r.Leads != 2 || r.NotYetCreated != 1 || r.Overall.Leads != 1 {
		t.Errorf("Leads %d, NotYetCreated %d, in funnel %d; want 2, 1, 1", r.Leads, r.NotYetCreated, r.Overall.Leads)
	}
}

func TestAnalyzeConversionAndTiming(t *testing.T) {
	// Five leads reach mql; their mql→sql gaps are 1, 2, 3, 4, 10 hours
	// (m1..m5). Two more reach mql but not sql (m6, m7). One of them
	// (m6) is disqualified for "budget" from mql, the other stays.
	// Stage lead: 7 reached, 7 converted (all 7 entered lead at 0 and
	// mql at 1).
	// mql: 7 reached, 5 converted: 5/7; drop-off 2: 2/7; from top 7/7.
	// sql: 5 reached, 0 converted (still in sql): 0/5; from top 5/7.
	// Times mql→sql sorted 1,2,3,4,10: median x[2]=3h; p90 at rank
	// h=(5−1)·0.9=3.6: 4 + 0.6·(10−4) = 7.6h; mean 20/5 = 4h.
	var leads []lead.Lead
	for i, gap := range []float64{1, 2, 3, 4, 10} {
		leads = append(leads, mk("m"+string(rune('1'+i)), tr("lead", 0), tr("mql", 1), tr("sql", 1+gap)))
	}
	leads = append(leads,
		mk("m6", tr("lead", 0), tr("mql", 1), tr("disqualified", 2, "budget")),
		mk("m7", tr("lead", 0), tr("mql", 1)))
	r := mustAnalyze(t, leads, opts{})
	mql := r.Overall.Stages[1]
	if mql.Reached != 7 || mql.Converted != 5 || mql.Conversion.String() != "0.7143" || // 5/7 = 0.714285…
		mql.DropOff != 2 || mql.DropOffRate.String() != "0.2857" || mql.FromTop.String() != "1.0000" {
		t.Errorf("mql = %+v", mql)
	}
	tt := mql.TimeToNext
	if want := (leadkit.DurationSummary{Count: 5, Median: dur(hours(3)), P90: dur(hours(7.6)), Mean: dur(hours(4))}); !cmp.Equal(tt, want) {
		t.Errorf("mql time to next: %+v; want 5, 3h, 7h36m, 4h, exact", tt)
	}
	if want := []ExitCount{{Exit: lead.StageDisqualified, Reason: "budget", Leads: 1}}; !cmp.Equal(mql.Exits, want) {
		t.Errorf("mql exits = %v, want %v", mql.Exits, want)
	}
	sql := r.Overall.Stages[2]
	if sql.Reached != 5 || sql.Converted != 0 || sql.Conversion.String() != "0.0000" || sql.FromTop.String() != "0.7143" || sql.StillIn != 5 {
		t.Errorf("sql = %+v", sql)
	}
	cust := r.Overall.Stages[3]
	// The last stage has no next: conversion undefined, no timing.
	if cust.Conversion.Defined() || cust.TimeToNext.Median != nil || cust.FromTop.String() != "0.0000" {
		t.Errorf("customer = %+v", cust)
	}
	// Overall conversion: 0 customers of 7.
	if r.Overall.Leads != 7 || r.Overall.Conversion.String() != "0.0000" {
		t.Errorf("overall leads %d conversion %v; want 7, 0", r.Overall.Leads, r.Overall.Conversion)
	}
}

func TestAnalyzeExits(t *testing.T) {
	leads := []lead.Lead{
		// Exit from sql (the stage before the exit), agreed reason.
		mk("e1", tr("lead", 0), tr("mql", 1), tr("sql", 2), tr("disqualified", 3, "competitor")),
		mk("e2", tr("lead", 0), tr("mql", 1), tr("sql", 2), tr("disqualified", 3, "competitor")),
		// Backward move then exit: the stage before the exit is mql,
		// although the lead had reached sql.
		mk("e3", tr("lead", 0), tr("mql", 1), tr("sql", 2), tr("mql", 3), tr("recycled", 4, "not now")),
		// A reason not in the agreed list: counted under it and reported.
		mk("e4", tr("lead", 0), tr("disqualified", 1, "rude")),
	}
	r := mustAnalyze(t, leads, opts{})
	got := map[lead.Stage][]ExitCount{}
	for _, s := range r.Overall.Stages {
		if len(s.Exits) > 0 {
			got[s.Stage] = s.Exits
		}
	}
	want := map[lead.Stage][]ExitCount{
		lead.StageLead: {{Exit: lead.StageDisqualified, Reason: "rude", Leads: 1}},
		lead.StageMQL:  {{Exit: lead.StageRecycled, Reason: "not now", Leads: 1}},
		lead.StageSQL:  {{Exit: lead.StageDisqualified, Reason: "competitor", Leads: 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exits (-want +got):\n%s", diff)
	}
	// StillIn: every lead exited, so none is still in a stage.
	for _, s := range r.Overall.Stages {
		if s.StillIn != 0 {
			t.Errorf("%s still in = %d, want 0", s.Stage, s.StillIn)
		}
	}
	wantF := []Finding{{LeadID: "e4", Path: "history[1].reason", Kind: FindingUnknownReason, Problem: `"rude" is not an agreed reason for "disqualified"`}}
	if diff := cmp.Diff(wantF, r.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestAnalyzeDataQuality(t *testing.T) {
	bad := mk("bad",
		lead.Transition{To: "lead"},        // 0: zero time
		lead.Transition{To: "", At: at(1)}, // 1: empty stage
		tr("limbo", 2),                     // 2: unknown stage
		tr("mql", -5),                      // 3: before created (hour 0) and before lead (hour 1)
		tr("customer", -10),                // 4: the same
		tr("sql", 3),                       // 5
		tr("lead", 1),                      // 6: the first stage
	)
	// A fast-tracked lead that skipped mql, was recycled and came back
	// through mql: mql is first entered after sql, which is a backward
	// move, not a data problem.
	comeback := mk("comeback", tr("lead", 0), tr("sql", 1), tr("recycled", 2, "no budget"),
		tr("mql", 10), tr("sql", 12))
	r := mustAnalyze(t, []lead.Lead{bad, mk("ok", tr("lead", 0)), comeback}, opts{})
	want := []Finding{
		{"bad", "history[0].at", FindingZeroTime, "zero time; transition ignored"},
		{"bad", "history[1].to", FindingEmptyStage, "empty stage; transition ignored"},
		{"bad", "history[2].to", FindingUnknownStage, `unknown stage "limbo"; transition ignored`},
		{"bad", "history[3].at", FindingBeforeCreated, `entered "mql" at 2023-12-31T19:00:00Z, before the lead was created at 2024-01-01T00:00:00Z`},
		{"bad", "history[3].at", FindingBeforeStart, `entered "mql" at 2023-12-31T19:00:00Z, before the first stage "lead" at 2024-01-01T01:00:00Z`},
		{"bad", "history[4].at", FindingBeforeCreated, `entered "customer" at 2023-12-31T14:00:00Z, before the lead was created at 2024-01-01T00:00:00Z`},
		{"bad", "history[4].at", FindingBeforeStart, `entered "customer" at 2023-12-31T14:00:00Z, before the first stage "lead" at 2024-01-01T01:00:00Z`},
	}
	if diff := cmp.Diff(want, r.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantCounts := map[FindingKind]int64{FindingZeroTime: 1, FindingEmptyStage: 1, FindingUnknownStage: 1, FindingBeforeCreated: 2, FindingBeforeStart: 2}
	if diff := cmp.Diff(wantCounts, r.FindingCounts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	// "bad" (sorted: customer −10, mql −5, lead 1, sql 3) reached every
	// stage (customer implies the rest) and is in sql; lead→mql (−6h) and
	// sql→customer (−13h) are negative and not timed, mql→sql is 8h.
	// "ok" reached lead. "comeback" (first entries lead 0, sql 1, mql 10)
	// reached lead..sql and is in sql again (re-entered); lead→mql 10h is
	// timed, mql→sql (−9h) is not. Medians: lead→mql 10h (comeback),
	// mql→sql 8h (bad).
	got := summarize(r.Overall)
	wantS := summary{
		Reached: []int64{3, 2, 2, 1}, StillIn: []int64{1, 0, 2, 0}, Reentered: []int64{0, 0, 1, 0},
		Median: []time.Duration{hours(10), hours(8), none, none},
	}
	if diff := cmp.Diff(wantS, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestAnalyzeCohorts(t *testing.T) {
	cet := leadkit.Zone("Etc/GMT-1") // UTC+1 all year
	lead1 := func(id string, when time.Time) lead.Lead {
		return lead.Lead{ID: id, CreatedAt: when, History: []lead.Transition{{To: "lead", At: when}}}
	}
	leads := []lead.Lead{
		// 22:30 UTC on Jan 31 is 23:30 CET: January, Wednesday (ISO week
		// 5), Q1.
		lead1("a", time.Date(2024, 1, 31, 22, 30, 0, 0, time.UTC)),
		// 23:30 UTC is 00:30 CET on Thursday Feb 1: February, still ISO
		// week 5.
		lead1("b", time.Date(2024, 1, 31, 23, 30, 0, 0, time.UTC)),
		// Sunday Apr 7 2024 12:00 CET: ISO week 14, Q2.
		lead1("c", time.Date(2024, 4, 7, 11, 0, 0, 0, time.UTC)),
		// A lead that skipped the first stage: its cohort is the period
		// of its earliest entry, mql on Dec 31 2023 (CET).
		{ID: "d", CreatedAt: time.Date(2023, 12, 31, 12, 0, 0, 0, time.UTC),
			History: []lead.Transition{{To: "mql", At: time.Date(2023, 12, 31, 12, 0, 0, 0, time.UTC)}}},
	}
	for _, tc := range []struct {
		period leadkit.Period
		want   map[string]int64
	}{
		{leadkit.Day, map[string]int64{"2023-12-31": 1, "2024-01-31": 1, "2024-02-01": 1, "2024-04-07": 1}},
		// ISO weeks: Sunday Dec 31 2023 ends 2023-W52; Jan 31 and Feb 1
		// 2024 are in W05 (Monday Jan 29); Sunday Apr 7 ends W14
		// (Monday Apr 1).
		{leadkit.Week, map[string]int64{"2023-W52": 1, "2024-W05": 2, "2024-W14": 1}},
		{leadkit.Month, map[string]int64{"2023-12": 1, "2024-01": 1, "2024-02": 1, "2024-04": 1}},
		{leadkit.Quarter, map[string]int64{"2023-Q4": 1, "2024-Q1": 2, "2024-Q2": 1}},
		{leadkit.Year, map[string]int64{"2023": 1, "2024": 3}},
	} {
		t.Run(string(tc.period), func(t *testing.T) {
			r := mustAnalyze(t, leads, opts{Cohort: tc.period, Zone: cet})
			got := map[string]int64{}
			var keys []string
			for _, c := range r.Cohorts {
				got[c.Key] = c.Leads
				keys = append(keys, c.Key)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("cohorts (-want +got):\n%s", diff)
			}
			if !slicesSorted(keys) {
				t.Errorf("cohorts not in order: %v", keys)
			}
			if r.Zone != cet {
				t.Errorf("zone = %q", r.Zone)
			}
		})
	}
	t.Run("no period", func(t *testing.T) {
		r := mustAnalyze(t, leads, opts{})
		if len(r.Cohorts) != 0 || r.Overall.Leads != 4 {
			t.Errorf("cohorts %v, leads %d; want none, 4", r.Cohorts, r.Overall.Leads)
		}
	})
}

func slicesSorted(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

func TestAnalyzeSegments(t *testing.T) {
	leads := []lead.Lead{
		mk("a", tr("lead", 0), tr("mql", 1)),
		mk("b", tr("lead", 0)),
		mk("c", tr("lead", 0), tr("mql", 2)),
	}
	leads[0].Source.Channel = lead.ChannelEmail
	leads[1].Source.Channel = lead.ChannelEmail
	leads[2].Source.Channel = lead.ChannelSocial
	r := mustAnalyze(t, leads, opts{Segment: "source.channel"})
	// email: a and b, 1 reached mql, 1/2; social: c, 1/1.
	if len(r.Segments) != 2 || r.Segment != "source.channel" {
		t.Fatalf("segments = %+v", r.Segments)
	}
	for i, want := range []struct {
		key        string
		leads      int64
		conversion string
	}{{"email", 2, "0.5000"}, {"social", 1, "1.0000"}} {
		s := r.Segments[i]
		if s.Key != want.key || s.Leads != want.leads || s.Stages[0].Conversion.String() != want.conversion {
			t.Errorf("segment %d = %s %d %v, want %+v", i, s.Key, s.Leads, s.Stages[0].Conversion, want)
		}
	}
}

func TestDefinitionValidate(t *testing.T) {
	err := Definition{Cohort: "fortnight", Zone: "Mars/Olympus", Window: -1, Segment: "colour", MaxFindings: -1}.Validate()
	want := []string{
		"funnel.stages: no stages; a funnel needs at least one",
		"funnel.handoff: empty; name the first sales-owned stage",
		`cohort: unknown period "fortnight"; use day, week, month, quarter or year`,
		`zone: unknown zone "Mars/Olympus"; use an IANA name such as "Europe/Paris"`,
		"window: negative (-1ns)",
		`segment: unknown key "colour"; use owner, person.(title|role|department|seniority), company.(name|domain|industry|country|region|city), source.(channel|campaign|medium|landing_page) or fields.NAME`,
		"max_findings: negative (-1)",
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// Every error is a *leadkit.Error that errors.As reaches.
	var le *leadkit.Error
	if !errors.As(err, &le) || le.Path != "funnel.stages" {
		t.Errorf("errors.As: %#v", le)
	}
	if _, err := Compile(Definition{Funnel: testFunnel(), Zone: "Local"}); err == nil {
		t.Error("Compile accepted the host-dependent zone Local")
	}
	// The zero values are valid.
	if err := (Definition{Funnel: testFunnel()}).Validate(); err != nil {
		t.Errorf("zero settings: %v", err)
	}
}

func TestZeroAnalysis(t *testing.T) {
	var a Analysis
	if err := a.Add(&lead.Lead{ID: "x"}); err == nil {
		t.Error("zero Analysis accepted a lead")
	}
	// Regression (found by FuzzAnalysisState): Report on the zero
	// Analysis, or on the state "{}", panicked. Now it is an error.
	if _, err := a.Report(); err == nil {
		t.Error("zero Analysis reported")
	}
	if err := json.Unmarshal([]byte(`{}`), &a); err == nil {
		t.Error(`decoded the state "{}"`)
	}
}

func TestMaxFindingsKeepsSmallestIDs(t *testing.T) {
	a := newAnalysis(t, testFunnel(), opts{MaxFindings: 2})
	// Five leads with one unknown stage each, added in reverse order:
	// the kept findings are those of l1 and l2; the count stays 5.
	for _, id := range []string{"l5", "l4", "l3", "l2", "l1"} {
		l := mk(id, tr("nowhere", 1))
		if err := a.Add(&l); err != nil {
			t.Fatal(err)
		}
	}
	r := report(t, a)
	if len(r.Findings) != 2 || r.Findings[0].LeadID != "l1" || r.Findings[1].LeadID != "l2" || r.FindingCounts[FindingUnknownStage] != 5 {
		t.Errorf("findings %v counts %v", r.Findings, r.FindingCounts)
	}
}
