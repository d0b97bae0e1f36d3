package sla_test

import (
	"errors"
	"fmt"
	"sync"
	"time"

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
	// 2026-12-28 12:00:00 +0100 CET
	// 8h0m0s
	// false
	// 2026-12-28 09:00:00 +0100 CET
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
	// 2026-11-23 17:00:00 +0000 UTC
	// 2026-11-23 09:00:00 +0000 UTC
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
	// Output: 2026-11-27 10:00:00 -0500 EST
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
	// zone: unknown time zone "Europe/Pariss"
	// week.monday: shifts 09:00-12:00 and 11:30-18:00 overlap
	// week.tuesday[0]: shift "9-17": start: bad time "9"; want HH:MM
	// true
}

func ExampleCompliance() {
	checker, err := sla.Compile(sla.Agreement{
		Calendar: sla.Calendar{Zone: "UTC", Week: sla.Week{
			Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}, Wednesday: []string{"09:00-17:00"},
			Thursday: []string{"09:00-17:00"}, Friday: []string{"09:00-17:00"},
		}},
		Policies: []sla.Policy{
			{Name: "first call within a business day", Kind: sla.KindResponse, Within: "8h", WarnBefore: "2h"},
			{Name: "enterprise within 2 hours", Kind: sla.KindResponse, Within: "2h", Segment: "company.employees >= 1000"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
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
	report, _ := acc.Report()
	for _, p := range report.Policies {
		fmt.Printf("%s: met %d, breached %d, pending %d, at risk %d, compliance %s, median %v\n",
			p.Name, p.Met, p.Breached, p.Pending, p.AtRisk, p.Compliance, p.MedianTime)
		for _, b := range p.Breaches {
			fmt.Printf("  breach: lead %s (%s) %v late\n", b.LeadID, b.Owner, b.Late)
		}
	}
	// Output:
	// first call within a business day: met 1, breached 1, pending 1, at risk 0, compliance 0.5000, median 5h0m0s
	//   breach: lead B (ben) 1h0m0s late
	// enterprise within 2 hours: met 1, breached 0, pending 0, at risk 0, compliance 1.0000, median 1h0m0s
}

func ExampleChecker_Check() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "accept or reject in 4h", Kind: sla.KindAcceptance, Within: "4h"}},
	})
	l := lead.Lead{ID: "L1", Owner: "ana", History: []lead.Transition{
		{From: lead.StageLead, To: lead.StageMQL, At: time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)},
		{From: lead.StageMQL, To: lead.StageRecycled, At: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}, // no reason given
	}}
	results, _ := checker.Check(&l, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	for _, r := range results {
		fmt.Println(r.Status, r.Cause, "deadline", r.Deadline.Format(time.DateTime), "decided after", r.Elapsed)
	}
	// Output: breached rejected without a reason deadline 2026-11-24 11:00:00 decided after 2h30m0s
}

// Shard the leads over goroutines, one accumulator each, and merge: the
// report is the same as adding them all to one accumulator.
func ExampleCompliance_Merge() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: sla.Week{Monday: []string{"09:00-17:00"}, Tuesday: []string{"09:00-17:00"}}},
		Policies: []sla.Policy{{Name: "response", Kind: sla.KindResponse, Within: "4h"}},
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
	fmt.Println(p.Met, p.Breached, p.Compliance, p.MedianTime)
	fmt.Println(direct.Policies[0].Compliance.String() == p.Compliance.String())
	// Output:
	// 81 19 0.8100 2h28m30s
	// true
}
