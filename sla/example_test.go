package sla_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/sla"
)

func ExampleCompileCalendar() {
	cal := sla.MustCompileCalendar(sla.Calendar{
		Zone: "Europe/Paris",
		Week: sla.Week{
			Monday:    []string{"09:00-12:30", "13:30-18:00"},
			Tuesday:   []string{"09:00-12:30", "13:30-18:00"},
			Wednesday: []string{"09:00-12:30", "13:30-18:00"},
			Thursday:  []string{"09:00-12:30", "13:30-18:00"},
			Friday:    []string{"09:00-12:30", "13:30-17:00"},
		},
		Holidays:  []sla.Holiday{{Date: "2026-12-25", Name: "Noël"}},
		Overrides: []sla.Override{{Date: "2026-12-24", Hours: []string{"09:00-12:00"}}},
	})
	paris := cal.Location()
	handoff := time.Date(2026, 12, 23, 16, 0, 0, 0, paris)

	// 8 working hours: 2h on Wednesday, 3h on Christmas Eve, nothing on
	// Christmas, the last 3h on Monday morning.
	fmt.Println(cal.Deadline(handoff, 8*time.Hour))
	fmt.Println(cal.WorkingTime(handoff, time.Date(2026, 12, 28, 12, 0, 0, 0, paris)))
	fmt.Println(cal.IsOpen(time.Date(2026, 12, 24, 13, 0, 0, 0, paris)))
	fmt.Println(cal.NextOpen(time.Date(2026, 12, 24, 13, 0, 0, 0, paris)))
	// Output:
	// 2026-12-28 12:00:00 +0100 CET <nil>
	// 8h0m0s <nil>
	// false
	// 2026-12-28 09:00:00 +0100 CET <nil>
}

func ExampleSchedule_Deadline_closingTime() {
	cal := sla.MustCompileCalendar(sla.Calendar{Week: sla.Week{
		Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"},
	}})
	mon := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	// A deadline that runs out exactly at closing time is that closing
	// time, not the next opening.
	fmt.Println(cal.Deadline(mon, 8*time.Hour))
	// Backwards, it lands on the opening time.
	fmt.Println(cal.Deadline(time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC), -16*time.Hour))
	// Output:
	// 2026-11-23 17:00:00 +0000 UTC <nil>
	// 2026-11-23 09:00:00 +0000 UTC <nil>
}

// WorkingTime counts the hours the calendar is open between two
// instants; it is additive and negative when the span runs backwards.
// Instants outside the supported range are an error, never a clamped
// answer.
func ExampleSchedule_WorkingTime() {
	cal := sla.MustCompileCalendar(sla.Calendar{Zone: "Europe/Paris", Week: sla.Week{
		Monday: []string{"09:00-12:30", "13:30-18:00"}, Tuesday: []string{"09:00-12:30", "13:30-18:00"},
	}})
	paris := cal.Location()
	mon := time.Date(2026, 11, 23, 11, 0, 0, 0, paris)
	tue := time.Date(2026, 11, 24, 10, 0, 0, 0, paris)
	// Monday 11:00-12:30 and 13:30-18:00 (6h), Tuesday 09:00-10:00 (1h).
	fmt.Println(cal.WorkingTime(mon, tue))
	fmt.Println(cal.WorkingTime(tue, mon))
	_, err := cal.WorkingTime(mon, time.Date(2300, 1, 1, 0, 0, 0, 0, paris))
	fmt.Println(errors.Is(err, sla.ErrOutOfRange))
	// Output:
	// 7h0m0s <nil>
	// -7h0m0s <nil>
	// true
}

// A deadline the calendar cannot hold before the end of its range is
// an error wrapping ErrOutOfRange, not a sentinel date.
func ExampleSchedule_Deadline_outOfRange() {
	cal := sla.MustCompileCalendar(sla.Calendar{Week: sla.Week{
		Monday: []string{"00:00-24:00"}, Tuesday: []string{"00:00-24:00"}, Wednesday: []string{"00:00-24:00"},
		Thursday: []string{"00:00-24:00"}, Friday: []string{"00:00-24:00"}, Saturday: []string{"00:00-24:00"},
		Sunday: []string{"00:00-24:00"},
	}})
	from := time.Date(2199, 12, 28, 20, 0, 0, 0, time.UTC)
	fmt.Println(cal.Deadline(from, 53*time.Hour))
	_, err := cal.Deadline(from, 100*time.Hour) // only 76h are left before 2200
	fmt.Println(errors.Is(err, sla.ErrOutOfRange))
	// Output:
	// 2199-12-31 01:00:00 +0000 UTC <nil>
	// true
}

// Holidays are plain dates, so any source will do: a host's database, a
// file, or a holiday library the host already uses. Here the host's own
// list of public holidays (as time.Time values, the form most holiday
// libraries return) is converted without adding a dependency to leadkit.
func ExampleHoliday() {
	hostHolidays := map[time.Time]string{ // from anywhere
		time.Date(2026, 7, 3, 0, 0, 0, 0, time.UTC):   "Independence Day (observed)",
		time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC): "Thanksgiving",
	}
	c := sla.Calendar{Zone: "America/New_York", Week: sla.Week{
		Wednesday: []string{"09:00-17:00"}, Thursday: []string{"09:00-17:00"}, Friday: []string{"09:00-17:00"},
	}}
	for day, name := range hostHolidays {
		c.Holidays = append(c.Holidays, sla.Holiday{Date: day.Format(time.DateOnly), Name: name})
	}
	cal := sla.MustCompileCalendar(c)
	ny := cal.Location()
	// Wed 2026-11-25 16:00 plus 2 working hours: 1h on Wednesday,
	// Thanksgiving closed, 1h on Friday.
	fmt.Println(cal.Deadline(time.Date(2026, 11, 25, 16, 0, 0, 0, ny), 2*time.Hour))
	// Output: 2026-11-27 10:00:00 -0500 EST <nil>
}

func ExampleCalendar_Validate() {
	err := sla.Calendar{
		Zone: "Europe/Pariss",
		Week: sla.Week{Monday: []string{"09:00-12:00", "11:30-18:00"}, Tuesday: []string{"9-17"}},
	}.Validate()
	fmt.Println(err)
	_, err = sla.CompileCalendar(sla.Calendar{Zone: "Europe/Paris"})
	fmt.Println(errors.Is(err, sla.ErrNoWorkingTime))
	// Output:
	// zone: unknown zone "Europe/Pariss"; use an IANA name such as "Europe/Paris"
	// week.monday: shifts 09:00-12:00 and 11:30-18:00 overlap
	// week.tuesday[0]: shift "9-17": start: bad time "9"; want HH:MM
	// true
}

// The SLA report: load the agreement strictly from JSON, add the leads
// as of a time, and read the compliance per policy with the breaches.
func ExampleCompliance() {
	agreement, err := sla.ParseAgreement([]byte(`{
		"calendar": {"zone": "UTC", "week": {
			"monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"], "wednesday": ["09:00-17:00"],
			"thursday": ["09:00-17:00"], "friday": ["09:00-17:00"]}},
		"policies": [
			{"name": "first call within a business day", "kind": "response", "within": "8h", "warn_before": "2h"},
			{"name": "enterprise within 2 hours", "kind": "response", "within": "2h", "segment": "company.employees >= 1000"}
		]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	checker := sla.MustCompile(agreement)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	mql := func(t time.Time) []lead.Transition {
		return []lead.Transition{{From: lead.StageLead, To: lead.StageMQL, At: t}}
	}
	leads := []lead.Lead{
		{ID: "A", Owner: "ana", Company: lead.Company{Employees: 5000}, History: mql(at(23, 10)),
			Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "ana", At: at(23, 11)}}},
		{ID: "B", Owner: "ben", History: mql(at(20, 16)), // Friday 16:00
			Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "ben", At: at(24, 9)}}},
		{ID: "C", Owner: "ben", History: mql(at(24, 10))},
		{ID: "D", Owner: "ben", CreatedAt: at(25, 8)}, // after the as-of time: skipped
	}
	acc := checker.NewCompliance(at(24, 12)) // Tuesday noon
	for i := range leads {
		if err := acc.Add(&leads[i]); err != nil {
			fmt.Println(err)
		}
	}
	// A: touched after 1h, met. B: MQL Friday 16:00, due Monday 16:00,
	// touched Tuesday 09:00, 1 working hour late (9h elapsed). C: due
	// Wednesday 10:00, 6h left: pending. Median of 1h and 9h: 5h.
	report, err := acc.Report()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d leads, %d skipped\n", report.Leads, report.Skipped)
	for _, p := range report.Policies {
		fmt.Printf("%s: met %d, breached %d, pending %d, at risk %d, compliance %s, median %v\n",
			p.Name, p.Met, p.Breached, p.Pending, p.AtRisk, p.Compliance, p.Time.Median)
		for _, b := range p.Breaches {
			fmt.Printf("  breach: lead %s (%s) %v late\n", b.LeadID, b.Owner, b.Late)
		}
	}
	// Output:
	// 3 leads, 1 skipped
	// first call within a business day: met 1, breached 1, pending 1, at risk 0, compliance 0.5000, median 5h
	//   breach: lead B (ben) 1h late
	// enterprise within 2 hours: met 1, breached 0, pending 0, at risk 0, compliance 1.0000, median 1h
}

// ParseAgreement refuses a misspelt field instead of dropping it, and
// names its path.
func ExampleParseAgreement() {
	_, err := sla.ParseAgreement([]byte(`{"calendar": {"week": {"monday": ["09:00-17:00"]}},
		"policies": [{"name": "r", "kind": "response", "within": "8h", "warn_befor": "2h"}]}`))
	fmt.Println(err)
	var le *leadkit.Error
	fmt.Println(errors.As(err, &le))
	// Output:
	// policies[0].warn_befor: unknown field; did you mean "warn_before"? (2:66)
	//  | ...", "kind": "response", "within": "8h", "warn_befor": "2h"}]}
	//  | ..........................................^
	// true
}

// A segment may use the scores the host computes beside the lead (with
// the scoring package, say), under the scoring rule language's names:
// fit, engagement, total and grade. sla does not import scoring.
func ExampleCompliance_AddScored() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "A leads in 1h", Kind: sla.KindResponse,
			Within: leadkit.Duration(time.Hour), Segment: `grade == "A" && fit >= 60`}},
	})
	mql := []lead.Transition{{From: lead.StageLead, To: lead.StageMQL, At: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}}
	hot := lead.Lead{ID: "hot", History: mql}
	cold := lead.Lead{ID: "cold", History: mql}
	acc := checker.NewCompliance(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	fmt.Println(acc.AddScored(&hot, sla.Scores{Fit: 72, Engagement: 30, Total: 102, Grade: "A"}))
	fmt.Println(acc.AddScored(&cold, sla.Scores{Fit: 20, Total: 20, Grade: "D"}))
	// Without its scores, the lead cannot be judged: an error, nothing added.
	fmt.Println(acc.Add(&hot) != nil)
	r, _ := acc.Report()
	fmt.Println(r.Leads, r.Policies[0].Breached)
	// Output:
	// <nil>
	// <nil>
	// true
	// 2 1
}

func ExampleChecker_Check() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "accept or reject in 4h", Kind: sla.KindAcceptance, Within: leadkit.Duration(4 * time.Hour)}},
	})
	l := lead.Lead{ID: "L1", Owner: "ana", History: []lead.Transition{
		{From: lead.StageLead, To: lead.StageMQL, At: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)},
		{From: lead.StageMQL, To: lead.StageRecycled, At: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}, // no reason given
	}}
	results, _ := checker.Check(&l, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	for _, r := range results {
		fmt.Println(r.Status, r.Cause, "deadline", r.Deadline.Format(time.DateTime), "decided after", r.Elapsed)
	}
	// Output: breached rejected without a reason deadline 2026-11-24 11:00:00 decided after 2h30m
}

// Shard the leads over goroutines, one accumulator each, and merge: the
// report is the same as adding them all to one accumulator.
func ExampleCompliance_Merge() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "response", Kind: sla.KindResponse, Within: leadkit.Duration(4 * time.Hour)}},
	})
	var leads []lead.Lead
	for i := range 100 {
		start := time.Date(2026, 11, 23, 9, i, 0, 0, time.UTC)
		leads = append(leads, lead.Lead{
			ID:         fmt.Sprintf("L%03d", i),
			History:    []lead.Transition{{From: lead.StageLead, To: lead.StageMQL, At: start}},
			Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "rep", At: start.Add(time.Duration(i) * 3 * time.Minute)}},
		})
	}
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

	const shards = 4
	parts := make([]*sla.Compliance, shards)
	var wg sync.WaitGroup
	for s := range shards {
		parts[s] = checker.NewCompliance(asOf)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := s; i < len(leads); i += shards {
				_ = parts[s].Add(&leads[i])
			}
		}()
	}
	wg.Wait()
	total := checker.NewCompliance(asOf)
	for _, p := range parts {
		if err := total.Merge(p); err != nil {
			fmt.Println(err)
		}
	}
	merged, _ := total.Report()
	direct, _ := checker.Report(leads, asOf)

	// Lead i is touched 3i minutes after its MQL entry, all on Monday:
	// i ≤ 80 within 4h; the median of 0, 3, ..., 297 minutes is
	// (147 + 150) / 2 = 148.5 minutes.
	p := merged.Policies[0]
	fmt.Println(p.Met, p.Breached, p.Compliance, p.Time.Median)
	fmt.Println(direct.Policies[0].Compliance.String() == p.Compliance.String())
	// Output:
	// 81 19 0.8100 2h28m30s
	// true
}

// The accumulator's JSON state describes itself: it carries the
// agreement, its fingerprint and the as-of time, so a shard's state can
// be stored or shipped and decoded into a zero Compliance elsewhere,
// then added to and merged as if it had never left.
func ExampleCompliance_MarshalJSON() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "response", Kind: sla.KindResponse, Within: leadkit.Duration(4 * time.Hour)}},
	})
	asOf := time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)
	mql := func(h int) []lead.Transition {
		return []lead.Transition{{From: lead.StageLead, To: lead.StageMQL, At: time.Date(2026, 11, 23, h, 0, 0, 0, time.UTC)}}
	}
	shard := checker.NewCompliance(asOf)
	a := lead.Lead{ID: "A", History: mql(9), Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "rep", At: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}}}
	if err := shard.Add(&a); err != nil {
		fmt.Println(err)
	}
	state, err := json.Marshal(shard)
	if err != nil {
		fmt.Println(err)
		return
	}

	var restored sla.Compliance // a zero value: no checker, no settings
	if err := json.Unmarshal(state, &restored); err != nil {
		fmt.Println(err)
		return
	}
	b := lead.Lead{ID: "B", History: mql(10)} // never touched: breached at 14:00
	if err := restored.Add(&b); err != nil {
		fmt.Println(err)
	}
	r, _ := restored.Report()
	fmt.Println(restored.Fingerprint() == checker.Fingerprint(), restored.AsOf().Equal(asOf))
	fmt.Println(r.Policies[0].Met, r.Policies[0].Breached, r.Policies[0].Compliance)
	// A tampered state is refused at decode.
	tampered := bytes.Replace(state, []byte(`"met":1`), []byte(`"met":-1`), 1)
	fmt.Println(json.Unmarshal(tampered, new(sla.Compliance)))
	// Output:
	// true true
	// 1 1 0.5000
	// policies[0].owners[""]: negative count
}

// Holiday rules keep a calendar right for every year: Thanksgiving is
// the fourth Thursday of November, Christmas moves off the weekend.
func ExampleHolidayRule() {
	rules := []sla.HolidayRule{
		{Name: "Thanksgiving", Month: 11, Weekday: "thursday", Nth: 4},
		{Name: "Christmas", Month: 12, Day: 25, Observed: "nearest"},
		{Name: "Good Friday", Easter: true, Offset: -2},
	}
	for _, r := range rules {
		for _, y := range []int{2026, 2027} {
			d, _ := r.Date(y)
			fmt.Print(d.Format("Mon 2006-01-02"), "  ")
		}
		fmt.Println(r.Name)
	}
	// Output:
	// Thu 2026-11-26  Thu 2027-11-25  Thanksgiving
	// Fri 2026-12-25  Fri 2027-12-24  Christmas
	// Fri 2026-04-03  Fri 2027-03-26  Good Friday
}
