package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// The hand-worked scenario. Calendar: Monday to Friday 09:00-17:00 UTC.
// As of Wed 2026-11-25 12:00 UTC. 2026-11-23 is a Monday.
var (
	asOf      = utc(2026, 11, 25, 12, 0)
	agreement = Agreement{
		Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Policies: []Policy{
			{Name: "response", Kind: KindResponse, Within: hours(8), WarnBefore: hours(6)},
			{Name: "attempts", Kind: KindAttempts, Within: hours(16), Attempts: 3, Touches: []lead.ActivityType{lead.ActivityCall, lead.ActivityEmailSent, lead.ActivityMeeting}},
			{Name: "acceptance", Kind: KindAcceptance, Within: hours(24)},
			{Name: "volume", Kind: KindVolume, Period: leadkit.Week, Target: 3},
			{Name: "quality", Kind: KindQuality, Period: leadkit.Month, Percent: decimal.NewFromInt(50)},
			{Name: "response-enterprise", Kind: KindResponse, Within: hours(4), Segment: "company.employees >= 1000"},
		},
	}
)

func mql(at time.Time) []lead.Transition {
	return []lead.Transition{{From: lead.StageLead, To: lead.StageMQL, At: at}}
}

func touch(typ lead.ActivityType, actor string, at time.Time) lead.Activity {
	return lead.Activity{Type: typ, Actor: actor, At: at}
}

func scenarioLeads() []lead.Lead {
	l1 := lead.Lead{ID: "L1", Owner: "rep-a", Company: lead.Company{Employees: 5000},
		History: append(mql(utc(2026, 11, 23, 10, 0)), lead.Transition{From: lead.StageMQL, To: lead.StageSAL, At: utc(2026, 11, 24, 9, 30)}),
		Activities: []lead.Activity{
			touch(lead.ActivityCall, "rep-a", utc(2026, 11, 24, 10, 0)), // listed out of order on purpose
			touch(lead.ActivityCall, "rep-a", utc(2026, 11, 23, 11, 30)),
			{Type: lead.ActivityPageView, At: utc(2026, 11, 23, 10, 30)}, // the prospect, not a touch
			touch(lead.ActivityEmailSent, "rep-a", utc(2026, 11, 23, 15, 0)),
		}}
	l2 := lead.Lead{ID: "L2", Owner: "rep-a", Company: lead.Company{Employees: 50},
		History:    append(mql(utc(2026, 11, 20, 16, 0)), lead.Transition{From: lead.StageMQL, To: lead.StageRecycled, At: utc(2026, 11, 24, 12, 0)}),
		Activities: []lead.Activity{touch(lead.ActivityCall, "rep-a", utc(2026, 11, 23, 14, 0))}}
	l3 := lead.Lead{ID: "L3", Owner: "rep-b", History: mql(utc(2026, 11, 24, 20, 0))}
	l4 := lead.Lead{ID: "L4", Owner: "rep-b",
		History:    append(mql(utc(2026, 11, 16, 9, 0)), lead.Transition{From: lead.StageMQL, To: lead.StageSQL, At: utc(2026, 11, 19, 10, 0)}),
		Activities: []lead.Activity{touch(lead.ActivityMeeting, "rep-b", utc(2026, 11, 17, 11, 0))}}
	l5 := lead.Lead{ID: "L5", History: mql(utc(2026, 11, 25, 11, 0))}
	l6 := lead.Lead{ID: "L6", History: []lead.Transition{{To: lead.StageLead, At: utc(2026, 11, 2, 9, 0)}}}
	l7 := lead.Lead{ID: "L7", Owner: "rep-a", History: mql(utc(2026, 11, 25, 13, 0)),
		Activities: []lead.Activity{touch(lead.ActivityCall, "rep-a", utc(2026, 11, 25, 13, 30))}}
	return []lead.Lead{l1, l2, l3, l4, l5, l6, l7}
}

func TestCheckHandWorked(t *testing.T) {
	ch := MustCompile(agreement)
	leads := scenarioLeads()
	type row struct {
		Policy, Lead string
		Status       Status
		Deadline     time.Time
		Elapsed      time.Duration
		Remaining    time.Duration
		Late         time.Duration
		Cause        string
	}
	h := time.Hour
	want := []row{
		// L1, MQL Mon 10:00. Response: deadline Mon 10-17 (7h) + Tue
		// 09-10 = Tue 10:00; first touch Mon 11:30: met after 1h30m.
		{"response", "L1", StatusMet, utc(2026, 11, 24, 10, 0), 90 * time.Minute, 0, 0, ""},
		// Attempts: 16h = 7h Mon + 8h Tue + 1h Wed = Wed 10:00; third
		// touch Tue 10:00, W(Mon 10:00, Tue 10:00) = 7h + 1h = 8h.
		{"attempts", "L1", StatusMet, utc(2026, 11, 25, 10, 0), 8 * h, 0, 0, ""},
		// Acceptance: 24h = 7 + 8 + 8 + 1 = Thu 10:00; SAL Tue 09:30,
		// 7h + 30m.
		{"acceptance", "L1", StatusMet, utc(2026, 11, 26, 10, 0), 7*h + 30*time.Minute, 0, 0, ""},
		// L2, MQL Fri 2026-11-20 16:00. Response: 1h Fri + 7h Mon = Mon
		// 16:00; touch Mon 14:00: 1h + 5h = 6h, met.
		{"response", "L2", StatusMet, utc(2026, 11, 23, 16, 0), 6 * h, 0, 0, ""},
		// Attempts: 1h + 8h + 7h = Tue 16:00; one touch only; as of Wed
		// 12:00: late 1h (Tue) + 3h (Wed) = 4h; elapsed 1+8+8+3 = 20h.
		{"attempts", "L2", StatusBreached, utc(2026, 11, 24, 16, 0), 20 * h, 0, 4 * h, CauseMissed},
		// Acceptance: 1 + 8 + 8 + 7 = Wed 16:00; recycled Tue 12:00 in
		// time but without a reason: breached, 0 late; 1 + 8 + 3 = 12h.
		{"acceptance", "L2", StatusBreached, utc(2026, 11, 25, 16, 0), 12 * h, 0, 0, CauseNoReason},
		// L3, MQL Tue 20:00 (after hours). Response: Wed 09:00 + 8h =
		// Wed 17:00; as of Wed 12:00 3h elapsed, 5h left < 6h warning:
		// at risk.
		{"response", "L3", StatusAtRisk, utc(2026, 11, 25, 17, 0), 3 * h, 5 * h, 0, ""},
		// Attempts: 16h = Thu 17:00; 5h + 8h = 13h left.
		{"attempts", "L3", StatusPending, utc(2026, 11, 26, 17, 0), 3 * h, 13 * h, 0, ""},
		// Acceptance: 24h = Fri 17:00; 5 + 8 + 8 = 21h left.
		{"acceptance", "L3", StatusPending, utc(2026, 11, 27, 17, 0), 3 * h, 21 * h, 0, ""},
		// L4, MQL Mon 2026-11-16 09:00. Response: Mon 17:00; meeting Tue
		// 11:00 is 2h late; elapsed 8 + 2 = 10h.
		{"response", "L4", StatusBreached, utc(2026, 11, 16, 17, 0), 10 * h, 0, 2 * h, CauseLate},
		// Attempts: 16h = Tue 11-17 17:00; one touch; late from Tue 17
		// 17:00 to Wed 25 12:00 = Wed18-Fri20 24h + Mon23-Tue24 16h + 3h
		// = 43h; elapsed Mon16 09:00 to Wed25 12:00 = 7 days × 8h + 3h =
		// 59h.
		{"attempts", "L4", StatusBreached, utc(2026, 11, 17, 17, 0), 59 * h, 0, 43 * h, CauseMissed},
		// Acceptance: 24h = Wed 18 17:00; SQL Thu 19 10:00 is 1h late;
		// elapsed 25h.
		{"acceptance", "L4", StatusBreached, utc(2026, 11, 18, 17, 0), 25 * h, 0, h, CauseLate},
		// L5, MQL Wed 11:00, unassigned. Response: 6h Wed + 2h Thu = Thu
		// 11:00; 1h elapsed, 5h + 2h = 7h left: pending.
		{"response", "L5", StatusPending, utc(2026, 11, 26, 11, 0), h, 7 * h, 0, ""},
		// Attempts: 6 + 8 + 2 = Fri 11:00; 5 + 8 + 2 = 15h left.
		{"attempts", "L5", StatusPending, utc(2026, 11, 27, 11, 0), h, 15 * h, 0, ""},
		// Acceptance: 6 + 8 + 8 + 2 = Mon 30 11:00; 23h left.
		{"acceptance", "L5", StatusPending, utc(2026, 11, 30, 11, 0), h, 23 * h, 0, ""},
		// Enterprise response (only L1, 5000 employees): Mon 10:00 + 4h =
		// 14:00; touch 11:30: met, 1h30m.
		{"response-enterprise", "L1", StatusMet, utc(2026, 11, 23, 14, 0), 90 * time.Minute, 0, 0, ""},
		// L6 never became an MQL; L7 became one after the as-of time:
		// no results.
	}
	var got []row
	for i := range leads {
		rs, err := ch.Check(&leads[i], asOf)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, row{r.Policy, r.LeadID, r.Status, r.Deadline.UTC(), r.Elapsed.Std(), r.Remaining.Std(), r.Late.Std(), r.Cause})
		}
	}
	sortRows := func(rs []row) {
		order := map[string]int{"response": 0, "attempts": 1, "acceptance": 2, "response-enterprise": 3}
		slicesSortFunc(rs, func(a, b row) bool {
			if a.Policy == "response-enterprise" || b.Policy == "response-enterprise" {
				return order[a.Policy] < order[b.Policy]
			}
			if a.Lead != b.Lead {
				return a.Lead < b.Lead
			}
			return order[a.Policy] < order[b.Policy]
		})
	}
	sortRows(want)
	sortRows(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
}

func slicesSortFunc[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// summary is the part of a report the hand-worked test checks.
type summary struct {
	Name                           string
	Met, Breached, Pending, AtRisk int64
	Compliance                     string
	Median                         time.Duration // -1: undefined
	Owners                         []string
	Breaches                       []string
	Periods                        []string
}

func summarize(name string, c Counts, owners []OwnerReport, breaches []Result, periods []PeriodReport) summary {
	s := summary{Name: name, Met: c.Met, Breached: c.Breached, Pending: c.Pending, AtRisk: c.AtRisk, Compliance: c.Compliance.String(), Median: -1}
	if c.Time.Median != nil {
		s.Median = c.Time.Median.Std()
	}
	for _, o := range owners {
		med := "n/a"
		if o.Time.Median != nil {
			med = o.Time.Median.Std().String()
		}
		s.Owners = append(s.Owners, fmt.Sprintf("%q %d/%d/%d/%d %s %s", o.Owner, o.Met, o.Breached, o.Pending, o.AtRisk, o.Compliance, med))
	}
	for _, b := range breaches {
		s.Breaches = append(s.Breaches, fmt.Sprintf("%s %s %v", b.Policy, b.LeadID, b.Late.Std()))
	}
	for _, p := range periods {
		s.Periods = append(s.Periods, fmt.Sprintf("%s %d %s %s %s", p.Start.Format(time.DateOnly), p.Leads, p.ToDate, p.Rate, p.Status))
	}
	return s
}

func scenarioReport(t *testing.T) Report {
	t.Helper()
	ch := MustCompile(agreement)
	c := ch.NewCompliance(asOf)
	leads := scenarioLeads()
	for i := range leads {
		if err := c.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	r, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestComplianceReportHandWorked(t *testing.T) {
	r := scenarioReport(t)
	var got []summary
	for _, p := range r.Policies {
		got = append(got, summarize(p.Name, p.Counts, p.Owners, p.Breaches, p.Periods))
	}
	for _, tr := range r.Teams {
		got = append(got, summarize(string(tr.Team), tr.Counts, nil, tr.Breaches, nil))
	}
	// Statuses from TestCheckHandWorked; medians by linear interpolation.
	want := []summary{
		// response: met L1 (1h30m), L2 (6h); breached L4 (2h late, 10h);
		// pending L5; at risk L3. 2 / (2 + 1); median of 1h30m, 6h, 10h
		// = 6h. rep-a: L1, L2 met, median (1h30m + 6h) / 2 = 3h45m.
		// rep-b: L3 at risk, L4 breached, 0/1, median 10h. "": L5.
		{Name: "response", Met: 2, Breached: 1, Pending: 1, AtRisk: 1, Compliance: "0.6667", Median: 6 * time.Hour,
			Owners:   []string{`"" 0/0/1/0 n/a n/a`, `"rep-a" 2/0/0/0 1.0000 3h45m0s`, `"rep-b" 0/1/0/1 0.0000 10h0m0s`},
			Breaches: []string{"response L4 2h0m0s"}},
		// attempts: met L1 (8h); breached L2 (4h late), L4 (43h late);
		// pending L3, L5. 1/3; median 8h (only L1 met).
		{Name: "attempts", Met: 1, Breached: 2, Pending: 2, Compliance: "0.3333", Median: 8 * time.Hour,
			Owners:   []string{`"" 0/0/1/0 n/a n/a`, `"rep-a" 1/1/0/0 0.5000 8h0m0s`, `"rep-b" 0/1/1/0 0.0000 n/a`},
			Breaches: []string{"attempts L4 43h0m0s", "attempts L2 4h0m0s"}},
		// acceptance: met L1 (7h30m); breached L4 (1h late, 25h), L2 (no
		// reason, 12h); pending L3, L5. 1/3; median of 7h30m, 12h, 25h =
		// 12h. rep-a: median (7h30m + 12h) / 2 = 9h45m.
		{Name: "acceptance", Met: 1, Breached: 2, Pending: 2, Compliance: "0.3333", Median: 12 * time.Hour,
			Owners:   []string{`"" 0/0/1/0 n/a n/a`, `"rep-a" 1/1/0/0 0.5000 9h45m0s`, `"rep-b" 0/1/1/0 0.0000 25h0m0s`},
			Breaches: []string{"acceptance L4 1h0m0s", "acceptance L2 0s"}},
		// volume, 3 a week: week of Nov 16 has L4, L2 = 2 < 3, finished:
		// breached. Week of Nov 23 has L1, L3, L5 = 3: met; to date 3 ×
		// W(Mon 00:00, Wed 12:00) / 40h = 3 × 19 / 40 = 1.425 → 1.43.
		{Name: "volume", Met: 1, Breached: 1, Compliance: "0.5000", Median: -1,
			Periods: []string{"2026-11-16 2 3 n/a breached", "2026-11-23 3 1.43 n/a met"}},
		// quality, 50% a month: November has 5 handoffs (L1-L5), 2
		// accepted (L1 SAL, L4 SQL), 1 rejected (L2), 2 undecided. 2 <
		// 2.5 needed; 2 + 2 ≥ 2.5 so not lost yet; 2 of 3 decided ≥ 50%:
		// pending. Rate 2/5.
		{Name: "quality", Pending: 1, Compliance: "n/a", Median: -1,
			Periods: []string{"2026-11-01 5 0 0.4000 pending"}},
		// response-enterprise: L1 met in 1h30m.
		{Name: "response-enterprise", Met: 1, Compliance: "1.0000", Median: 90 * time.Minute,
			Owners: []string{`"rep-a" 1/0/0/0 1.0000 1h30m0s`}},
		// marketing = volume + quality periods: 1 met, 1 breached, 1
		// pending.
		{Name: "marketing", Met: 1, Breached: 1, Pending: 1, Compliance: "0.5000", Median: -1},
		// sales = response + attempts + acceptance + enterprise: met
		// 2+1+1+1 = 5, breached 1+2+2 = 5, pending 1+2+2 = 5, at risk 1;
		// 5/10. Times 1h30m, 6h, 10h, 8h, 7h30m, 12h, 25h, 1h30m sorted:
		// 1.5, 1.5, 6, 7.5, 8, 10, 12, 25 → median (7.5 + 8) / 2 = 7h45m.
		{Name: "sales", Met: 5, Breached: 5, Pending: 5, AtRisk: 1, Compliance: "0.5000", Median: 7*time.Hour + 45*time.Minute,
			Breaches: []string{"attempts L4 43h0m0s", "attempts L2 4h0m0s", "response L4 2h0m0s", "acceptance L4 1h0m0s", "acceptance L2 0s"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

// TestComplianceMergeAnySplit adds the scenario leads plus random ones in
// random orders, split over random numbers of accumulators, merged in
// random orders, and through a JSON round trip: the report is identical.
func TestComplianceMergeAnySplit(t *testing.T) {
	ch := MustCompile(agreement)
	r := rand.New(rand.NewPCG(7, 8))
	leads := scenarioLeads()
	for i := range 300 {
		leads = append(leads, randomLead(r, fmt.Sprintf("R%03d", i)))
	}
	whole := ch.NewCompliance(asOf)
	for i := range leads {
		if err := whole.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	want, err := whole.Report()
	if err != nil {
		t.Fatal(err)
	}
	for trial := range 20 {
		perm := r.Perm(len(leads))
		parts := make([]*Compliance, 1+r.IntN(6))
		for i := range parts {
			parts[i] = ch.NewCompliance(asOf)
		}
		for _, i := range perm {
			if err := parts[r.IntN(len(parts))].Add(&leads[i]); err != nil {
				t.Fatal(err)
			}
		}
		// Round-trip one part through JSON, into a zero value.
		b, err := json.Marshal(parts[0])
		if err != nil {
			t.Fatal(err)
		}
		decoded := new(Compliance)
		if err := json.Unmarshal(b, decoded); err != nil {
			t.Fatal(err)
		}
		parts[0] = decoded
		acc := ch.NewCompliance(asOf)
		for _, i := range r.Perm(len(parts)) {
			if err := acc.Merge(parts[i]); err != nil {
				t.Fatal(err)
			}
		}
		got, err := acc.Report()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b kpi.Ratio) bool { return a.Num.Equal(b.Num) && a.Den.Equal(b.Den) }),
			cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("trial %d: merged report differs (-whole +merged):\n%s", trial, diff)
		}
	}
}

// randomLead returns a lead that may enter MQL in November 2026 and get
// touches and a decision at random times.
func randomLead(r *rand.Rand, id string) lead.Lead {
	base := utc(2026, 11, 1, 0, 0)
	at := func() time.Time { return base.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))) }
	l := lead.Lead{ID: id, Owner: []string{"", "rep-a", "rep-b", "rep-c"}[r.IntN(4)], Company: lead.Company{Employees: r.IntN(3000)}}
	if r.IntN(5) == 0 {
		return l
	}
	start := at()
	l.History = mql(start)
	for range r.IntN(5) {
		l.Activities = append(l.Activities, touch([]lead.ActivityType{lead.ActivityCall, lead.ActivityEmailSent, lead.ActivityPageView}[r.IntN(3)], "rep-x", at()))
	}
	switch r.IntN(4) {
	case 0:
		l.History = append(l.History, lead.Transition{From: lead.StageMQL, To: lead.StageSAL, At: at()})
	case 1:
		l.History = append(l.History, lead.Transition{From: lead.StageMQL, To: lead.StageRecycled, At: at(), Reason: []string{"", "no budget"}[r.IntN(2)]})
	}
	return l
}

func TestComplianceJSONRoundTrip(t *testing.T) {
	ch := MustCompile(agreement)
	c := ch.NewCompliance(asOf)
	leads := scenarioLeads()
	for i := range leads {
		_ = c.Add(&leads[i])
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	// Decoded into a zero value, the state reports as the original.
	var back Compliance
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if string(b) != string(b2) {
		t.Errorf("JSON round trip differs:\n%s\n%s", b, b2)
	}
	r, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	r2, err := back.Report()
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(r)
	j2, _ := json.Marshal(r2)
	if string(j1) != string(j2) {
		t.Errorf("decoded report differs:\n%s\n%s", j1, j2)
	}
	if back.Fingerprint() != ch.Fingerprint() || !back.AsOf().Equal(asOf) {
		t.Errorf("decoded fingerprint %s as of %v", back.Fingerprint(), back.AsOf())
	}
	// A zero accumulator, not decoded, refuses to report.
	var zero Compliance
	if _, err := zero.Report(); err == nil {
		t.Error("Report on a zero accumulator: want an error")
	}
}

func TestMergeRejectsMismatch(t *testing.T) {
	ch := MustCompile(agreement)
	a := ch.NewCompliance(asOf)
	if err := a.Merge(ch.NewCompliance(asOf.Add(time.Hour))); err == nil {
		t.Error("merging different as-of times: want an error")
	}
	other := MustCompile(Agreement{Calendar: agreement.Calendar, Policies: agreement.Policies[:2]})
	if err := a.Merge(other.NewCompliance(asOf)); err == nil {
		t.Error("merging different agreements: want an error")
	}
}

func TestAgreementValidate(t *testing.T) {
	bad := Agreement{
		Calendar: Calendar{Zone: "Nowhere/City"},
		Policies: []Policy{
			{Kind: KindResponse},
			{Name: "x", Kind: "speed", Within: hours(8)},
			{Name: "x", Kind: KindAttempts, Within: hours(-3), Attempts: 0, Period: leadkit.Week},
			{Name: "v", Kind: KindVolume, Within: hours(8), Period: "decade"},
			{Name: "q", Kind: KindQuality, Period: leadkit.Month, Percent: decimal.NewFromInt(120)},
			{Name: "s", Kind: KindResponse, Within: hours(8), Segment: "company.employes > 10"},
			{Name: "a", Kind: KindAcceptance, Within: hours(24), Stage: "custom"},
		},
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	for _, w := range []string{
		`calendar.zone: unknown zone "Nowhere/City"`,
		"policies[0].name: missing",
		"policies[0].within: missing",
		`policies[1].kind: unknown kind "speed"`,
		`policies[2].name: "x" is already the name of policies[1]`,
		`policies[2].within: "-3h" is not positive`,
		"policies[2].attempts: 0; an attempts policy needs at least 1",
		"policies[2].period: applies only to volume and quality policies",
		"policies[3].within: does not apply to a volume policy",
		`policies[3].period: unsupported period "decade"`,
		"policies[3].target: 0",
		"policies[4].percent: 120",
		"policies[5].segment",
		`policies[6].accept: stage "custom" is not a standard stage`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Validate() lacks %q; got:\n%v", w, err)
		}
	}
	// Every problem is a *leadkit.Error with its path.
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var le *leadkit.Error
		if !errors.As(e, &le) || le.Path == "" {
			t.Errorf("%v: not a *leadkit.Error with a path", e)
		}
	}
	if err := agreement.Validate(); err != nil {
		t.Errorf("scenario agreement: %v", err)
	}
	if err := (Agreement{Calendar: agreement.Calendar}).Validate(); err == nil || !strings.Contains(err.Error(), "policies: none") {
		t.Errorf("no policies: %v", err)
	}
}

func TestCheckerConcurrentUse(t *testing.T) {
	ch := MustCompile(agreement)
	leads := scenarioLeads()
	want, _ := json.Marshal(scenarioReport(t))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ch.NewCompliance(asOf)
			for i := range leads {
				_ = c.Add(&leads[i])
				_, _ = ch.Check(&leads[i], asOf)
			}
			r, _ := c.Report()
			if got, _ := json.Marshal(r); string(got) != string(want) {
				t.Error("concurrent report differs")
			}
		}()
	}
	wg.Wait()
}

func TestAgreementJSONRoundTrip(t *testing.T) {
	b, err := json.Marshal(agreement)
	if err != nil {
		t.Fatal(err)
	}
	var back Agreement
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(agreement, back, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(b), `"kind":"quality","period":"month","percent":"50"`) || !strings.Contains(string(b), `"within":"8h","warn_before":"6h"`) {
		t.Errorf("JSON = %s", b)
	}
}

func TestCalendarClockPolicy(t *testing.T) {
	// A calendar-clock policy counts elapsed time: MQL Fri 2026-11-20
	// 16:00 + 24h = Sat 16:00; touch Mon 09:00 is 41h after the deadline
	// (Sat 16:00 to Mon 09:00), elapsed 65h.
	ch := MustCompile(Agreement{Calendar: agreement.Calendar, Policies: []Policy{{Name: "r", Kind: KindResponse, Within: hours(24), Clock: ClockCalendar}}})
	l := lead.Lead{ID: "X", History: mql(utc(2026, 11, 20, 16, 0)), Activities: []lead.Activity{touch(lead.ActivityCall, "a", utc(2026, 11, 23, 9, 0))}}
	rs, err := ch.Check(&l, asOf)
	if err != nil || len(rs) != 1 {
		t.Fatalf("Check = %v, %v", rs, err)
	}
	r := rs[0]
	if !r.Deadline.Equal(utc(2026, 11, 21, 16, 0)) || r.Late.Std() != 41*time.Hour || r.Elapsed.Std() != 65*time.Hour || r.Status != StatusBreached {
		t.Errorf("got deadline %v late %v elapsed %v status %v", r.Deadline, r.Late, r.Elapsed, r.Status)
	}
}

func TestSegmentRuntimeError(t *testing.T) {
	// fields.budget is nil on a lead without it: comparing nil with a
	// number is a runtime error of the rule language.
	ch := MustCompile(Agreement{Calendar: agreement.Calendar, Policies: []Policy{
		{Name: "big budget", Kind: KindResponse, Within: hours(8), Segment: "fields.budget >= 1000"},
		{Name: "all", Kind: KindResponse, Within: hours(8)},
	}})
	leads := []lead.Lead{
		{ID: "with", Fields: map[string]any{"budget": 5000.0}, History: mql(utc(2026, 11, 23, 10, 0))},
		{ID: "without", History: mql(utc(2026, 11, 23, 10, 0))},
	}
	if _, err := ch.Check(&leads[1], asOf); err == nil || !strings.Contains(err.Error(), `policy "big budget": segment: lead "without"`) {
		t.Errorf("Check error = %v", err)
	}
	r, err := ch.Report(leads, asOf)
	if err == nil || !strings.Contains(err.Error(), "(1 leads failed)") {
		t.Errorf("Report error = %v", err)
	}
	// Both leads, never touched, are 8h past Mon 10:00 by Wed 12:00:
	// breached. The failing lead adds nothing, under any policy: only
	// "with" is counted, once under each.
	if got := r.Policies[0].Breached; got != 1 {
		t.Errorf("big budget breached = %d, want 1", got)
	}
	if got := r.Policies[1].Breached; got != 1 {
		t.Errorf("all breached = %d, want 1", got)
	}
	if r.Leads != 1 {
		t.Errorf("leads = %d, want 1", r.Leads)
	}
}

func TestPeriodStatuses(t *testing.T) {
	// Four handoffs in the week of Mon 2026-11-23, as of Wed 12:00 UTC
	// (19 of the week's 40 working hours gone).
	decided := func(id string, to lead.Stage, reason string) lead.Lead {
		l := lead.Lead{ID: id, History: mql(utc(2026, 11, 23, 10, 0))}
		if to != "" {
			l.History = append(l.History, lead.Transition{From: lead.StageMQL, To: to, At: utc(2026, 11, 24, 10, 0), Reason: reason})
		}
		return l
	}
	tests := []struct {
		name   string
		policy Policy
		leads  []lead.Lead
		want   string // start leads to-date rate status
	}{
		// Target 10: to date 10 × 19 / 40 = 4.75; 4 leads are below it.
		{"volume at risk", Policy{Name: "v", Kind: KindVolume, Period: leadkit.Week, Target: 10},
			[]lead.Lead{decided("a", "", ""), decided("b", "", ""), decided("c", "", ""), decided("d", "", "")},
			"2026-11-23 4 4.75 n/a at_risk"},
		// Target 8: to date 8 × 19 / 40 = 3.8; 4 leads are on track.
		{"volume pending", Policy{Name: "v", Kind: KindVolume, Period: leadkit.Week, Target: 8},
			[]lead.Lead{decided("a", "", ""), decided("b", "", ""), decided("c", "", ""), decided("d", "", "")},
			"2026-11-23 4 3.8 n/a pending"},
		// 50% of 4 = 2 needed; 0 accepted, 3 rejected, 1 open: even if it
		// is accepted, 1 < 2: breached.
		{"quality breached", Policy{Name: "q", Kind: KindQuality, Period: leadkit.Week, Percent: decimal.NewFromInt(50)},
			[]lead.Lead{decided("a", lead.StageRecycled, "x"), decided("b", lead.StageRecycled, "x"), decided("c", lead.StageDisqualified, "x"), decided("d", "", "")},
			"2026-11-23 4 0 0.0000 breached"},
		// 1 accepted, 2 rejected, 1 open: 1 + 1 ≥ 2 so not lost; 1 of 3
		// decided < 50%: at risk.
		{"quality at risk", Policy{Name: "q", Kind: KindQuality, Period: leadkit.Week, Percent: decimal.NewFromInt(50)},
			[]lead.Lead{decided("a", lead.StageSAL, ""), decided("b", lead.StageRecycled, "x"), decided("c", lead.StageRecycled, "x"), decided("d", "", "")},
			"2026-11-23 4 0 0.2500 at_risk"},
		// 2 accepted of 4 = 50%: met, whatever happens to the rest.
		{"quality met", Policy{Name: "q", Kind: KindQuality, Period: leadkit.Week, Percent: decimal.NewFromInt(50)},
			[]lead.Lead{decided("a", lead.StageSAL, ""), decided("b", lead.StageSQL, ""), decided("c", lead.StageRecycled, "x"), decided("d", "", "")},
			"2026-11-23 4 0 0.5000 met"},
		// 62.5% of 4 = 2.5 needed: 2 accepted, 2 open: pending.
		{"quality fractional percent", Policy{Name: "q", Kind: KindQuality, Period: leadkit.Week, Percent: decimal.RequireFromString("62.5")},
			[]lead.Lead{decided("a", lead.StageSAL, ""), decided("b", lead.StageSQL, ""), decided("c", "", ""), decided("d", "", "")},
			"2026-11-23 4 0 0.5000 pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := MustCompile(Agreement{Calendar: agreement.Calendar, Policies: []Policy{tt.policy}})
			r, err := ch.Report(tt.leads, asOf)
			if err != nil {
				t.Fatal(err)
			}
			got := summarize("", Counts{}, nil, nil, r.Policies[0].Periods).Periods
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("periods = %q, want [%q]", got, tt.want)
			}
		})
	}
}

// hours returns n hours as a leadkit.Duration.
func hours(n float64) leadkit.Duration { return leadkit.Duration(n * float64(time.Hour)) }
