package sla_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/sla"
	"github.com/shopspring/decimal"
)

// weekdays is Monday to Friday with the same hours.
func weekdays(hours ...string) sla.Week {
	return sla.Week{Monday: hours, Tuesday: hours, Wednesday: hours, Thursday: hours, Friday: hours}
}

func at(day, hh, mm int) time.Time { return time.Date(2026, 3, day, hh, mm, 0, 0, time.UTC) }

// The clock stops while the prospect has asked to be left alone
// (nurture): the deadline moves by exactly the working time paused.
func ExamplePolicy_pauseIn() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: weekdays("09:00-17:00")},
		Policies: []sla.Policy{{Name: "first response", Kind: sla.KindResponse, Within: leadkit.Duration(8 * time.Hour),
			PauseIn: []lead.Stage{"nurture"}}},
	})
	// MQL Monday 10:00, nurture from 12:00 to Tuesday 11:00, called
	// Tuesday 16:00.
	l := lead.Lead{ID: "L1", History: []lead.Transition{
		{To: lead.StageMQL, At: at(2, 10, 0)}, {To: "nurture", At: at(2, 12, 0)}, {To: lead.StageMQL, At: at(3, 11, 0)},
	}, Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "ana", At: at(3, 16, 0)}}}
	rs, _ := checker.Check(&l, at(6, 0, 0))
	r := rs[0]
	fmt.Println(r.Status, "deadline", r.Deadline.Format("Mon 15:04"), "elapsed", r.Elapsed, "paused", r.Paused)
	for _, e := range r.Trail {
		fmt.Println(strings.TrimSpace(e.At.Format("Mon 15:04") + " " + e.What + " " + e.Detail))
	}
	// Output:
	// met deadline Tue 17:00 elapsed 7h paused 7h
	// Mon 10:00 start version in force since always; default calendar; within 8h
	// Mon 12:00 pause
	// Tue 11:00 resume
	// Tue 16:00 met call by ana
	// Tue 17:00 deadline
}

// Every demo request needs a follow-up within 4 working hours, not only
// the first one: each is judged.
func ExampleKind_nextResponse() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: weekdays("09:00-17:00")},
		Policies: []sla.Policy{{Name: "demo follow-up", Kind: sla.KindNextResponse, Within: leadkit.Duration(4 * time.Hour),
			Inbound: []lead.ActivityType{lead.ActivityDemoRequest}}},
	})
	l := lead.Lead{ID: "L1", History: []lead.Transition{{To: lead.StageMQL, At: at(2, 9, 0)}}, Activities: []lead.Activity{
		{Type: lead.ActivityDemoRequest, At: at(2, 10, 0)},
		{Type: lead.ActivityCall, Actor: "ana", At: at(2, 13, 0)},
		{Type: lead.ActivityDemoRequest, At: at(4, 15, 0)},
		{Type: lead.ActivityEmailSent, Actor: "ana", At: at(5, 14, 0)},
	}}
	c := checker.NewCompliance(at(6, 12, 0))
	_ = c.Add(&l)
	report, _ := c.Report()
	p := report.Policies[0]
	fmt.Println("met", p.Met, "breached", p.Breached, "compliance", p.Compliance)
	b := p.Breaches[0]
	fmt.Println("late:", b.ClockStart.Format("Mon 15:04"), "due", b.Deadline.Format("Mon 15:04"), "answered", b.MetAt.Format("Mon 15:04"), "late by", b.Late)
	// Output:
	// met 1 breached 1 compliance 0.5000
	// late: Wed 15:00 due Thu 11:00 answered Thu 14:00 late by 3h
}

// A lead in an open opportunity is touched at least every 5 working
// days (40 hours); the manager is warned once 75% of the gap has run.
func ExampleKind_periodic() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: weekdays("09:00-17:00")},
		Policies: []sla.Policy{{Name: "open deal contact", Kind: sla.KindPeriodic, Within: leadkit.Duration(40 * time.Hour),
			During: []lead.Stage{lead.StageOpportunity}, WarnAt: decimal.NewFromInt(75)}},
	})
	l := lead.Lead{ID: "L1", History: []lead.Transition{{To: lead.StageOpportunity, At: at(2, 9, 0)}},
		Activities: []lead.Activity{{Type: lead.ActivityMeeting, Actor: "ana", At: at(3, 9, 0)}}}
	for _, day := range []int{5, 9, 11} {
		rs, _ := checker.Check(&l, at(day, 9, 0))
		r := rs[0]
		fmt.Printf("%s since %s, %.0f working hours, due %s\n", r.Status, r.ClockStart.Format("Mon 2"), r.Elapsed.Std().Hours(), r.Deadline.Format("Mon 2 15:04"))
	}
	// Output:
	// pending since Tue 3, 16 working hours, due Mon 9 17:00
	// at_risk since Tue 3, 32 working hours, due Mon 9 17:00
	// breached since Tue 3, 48 working hours, due Mon 9 17:00
}

// A rep in Singapore works Singapore hours; everyone else the default
// calendar. Each result names the calendar its clock ran on.
func ExampleTeamCalendar() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Zone: "Europe/London", Week: weekdays("09:00-17:30")},
		Calendars: []sla.TeamCalendar{{Name: "apac", Owners: []string{"wei"},
			Calendar: sla.Calendar{Zone: "Asia/Singapore", Week: weekdays("09:00-18:00")}}},
		Policies: []sla.Policy{{Name: "first response", Kind: sla.KindResponse, Within: leadkit.Duration(4 * time.Hour)}},
	})
	for _, owner := range []string{"wei", "tom"} {
		l := lead.Lead{ID: owner, Owner: owner, History: []lead.Transition{{To: lead.StageMQL, At: at(2, 8, 0)}}}
		rs, _ := checker.Check(&l, at(2, 8, 0))
		fmt.Printf("%s: calendar %q, due %s\n", owner, rs[0].Calendar, rs[0].Deadline.Format("Mon 15:04 MST"))
	}
	// Output:
	// wei: calendar "apac", due Tue 11:00 +08
	// tom: calendar "", due Mon 13:00 GMT
}

// Christmas Eve closes at 13:00: a partial-day holiday.
func ExampleClosure() {
	s := sla.MustCompileCalendar(sla.Calendar{Week: weekdays("09:00-17:00"),
		Closures: []sla.Closure{{Date: "2026-12-24", From: "13:00", Name: "Christmas Eve"}}})
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	worked, _ := s.WorkingTime(day, day.AddDate(0, 0, 1))
	due, _ := s.Deadline(time.Date(2026, 12, 24, 11, 0, 0, 0, time.UTC), 4*time.Hour)
	fmt.Println("open", worked, "on the 24th; 4h from 11:00 is due", due.Format("Mon Jan 2 15:04"))
	// Output: open 4h0m0s on the 24th; 4h from 11:00 is due Fri Dec 25 11:00
}

// The promise tightens from 8 to 4 working hours on 1 March: a lead
// whose clock started before is judged by the old promise.
func ExamplePolicy_effectiveFrom() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: weekdays("09:00-17:00")},
		Policies: []sla.Policy{
			{Name: "first response", Kind: sla.KindResponse, Within: leadkit.Duration(8 * time.Hour)},
			{Name: "first response", Kind: sla.KindResponse, Within: leadkit.Duration(4 * time.Hour), EffectiveFrom: at(1, 0, 0)},
		},
	})
	for _, mqlAt := range []time.Time{time.Date(2026, 2, 27, 15, 0, 0, 0, time.UTC), at(2, 10, 0)} {
		l := lead.Lead{ID: "L", History: []lead.Transition{{To: lead.StageMQL, At: mqlAt}}}
		rs, _ := checker.Check(&l, at(2, 9, 0).Add(time.Hour))
		version := "the first version"
		if !rs[0].Version.IsZero() {
			version = "the version of " + rs[0].Version.Format(time.DateOnly)
		}
		fmt.Println("MQL", mqlAt.Format("Jan 2 15:04"), "due", rs[0].Deadline.Format("Jan 2 15:04"), "by", version)
	}
	// Output:
	// MQL Feb 27 15:00 due Mar 2 15:00 by the first version
	// MQL Mar 2 10:00 due Mar 2 14:00 by the version of 2026-03-01
}

// The list a sales manager acts on each morning: the leads that will
// breach within the next 4 working hours, soonest first.
func ExampleChecker_DueSoon() {
	checker := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: weekdays("09:00-17:00")},
		Policies: []sla.Policy{{Name: "first response", Kind: sla.KindResponse, Within: leadkit.Duration(8 * time.Hour),
			WarnAt: decimal.NewFromInt(75)}},
	})
	var leads []lead.Lead
	for i, h := range []int{16, 10, 12, 9} {
		leads = append(leads, lead.Lead{ID: fmt.Sprintf("L%d", i+1), History: []lead.Transition{{To: lead.StageMQL, At: at(2, h, 0)}}})
	}
	due, _ := checker.DueSoon(leads, at(3, 9, 0), 4*time.Hour, 10)
	for _, r := range due {
		fmt.Println(r.LeadID, r.Status, "left", r.Remaining, "due", r.Deadline.Format("15:04"))
	}
	// Output:
	// L2 at_risk left 1h due 10:00
	// L3 pending left 3h due 12:00
}
