package sla_test

import (
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/sla"
)

// TestHandoff: a lead's clock runs on the calendar of the owner it had
// when the clock started, and the result is that owner's, even after the
// lead is handed to a rep on another calendar.
func TestHandoff(t *testing.T) {
	office := []string{"09:00-17:00"}
	week := sla.Week{Monday: office, Tuesday: office, Wednesday: office, Thursday: office, Friday: office}
	ch := sla.MustCompile(sla.Agreement{
		Calendar: sla.Calendar{Week: week}, // UTC
		Calendars: []sla.TeamCalendar{{Name: "apac", Owners: []string{"sg"},
			Calendar: sla.Calendar{Zone: "Asia/Singapore", Week: week}}},
		Policies: []sla.Policy{{Name: "reply", Kind: sla.KindResponse, Within: leadkit.MustParseDuration("2h")}},
	})
	mon := func(h int) time.Time { return time.Date(2025, 3, 3, h, 0, 0, 0, time.UTC) } // Monday 3 March 2025
	base := lead.Lead{
		ID: "L1", CreatedAt: mon(0).AddDate(0, 0, -7), Owner: "uk",
		History:    []lead.Transition{{To: lead.StageMQL, At: mon(8)}},
		Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: "uk", At: mon(12)}},
	}
	asOf := mon(0).AddDate(0, 0, 7)

	// No assignments: the current owner "uk" all along, on the UTC
	// calendar. The clock starts Monday 08:00, before opening; 2 business
	// hours from 09:00 is 11:00, and the call at 12:00 is an hour late.
	res, err := ch.Check(&base, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.Status != sla.StatusBreached || !r.Deadline.Equal(mon(11)) || r.Owner != "uk" || r.Calendar != "" {
		t.Errorf("without a handoff: %s, deadline %v, owner %q, calendar %q; want breached at 11:00 UTC, uk, default",
			r.Status, r.Deadline.UTC(), r.Owner, r.Calendar)
	}

	// "sg" owned the lead when the clock started, "uk" from 10:00 on. The
	// clock runs on Singapore's calendar (UTC+8): Monday 08:00 UTC is
	// 16:00 there, one business hour left that day; the second hour runs
	// Tuesday 09:00-10:00 Singapore time, Tuesday 02:00 UTC. The call at
	// Monday 12:00 UTC is in time, and the result is sg's.
	handed := base
	handed.Assignments = []lead.Assignment{{Owner: "sg", At: mon(0).AddDate(0, 0, -2)}, {Owner: "uk", At: mon(10)}}
	res, err = ch.Check(&handed, asOf)
	if err != nil {
		t.Fatal(err)
	}
	tuesday2UTC := time.Date(2025, 3, 4, 2, 0, 0, 0, time.UTC)
	if r := res[0]; r.Status != sla.StatusMet || !r.Deadline.Equal(tuesday2UTC) || r.Owner != "sg" || r.Calendar != "apac" {
		t.Errorf("with a handoff: %s, deadline %v, owner %q, calendar %q; want met, deadline Tue 02:00 UTC, sg, apac",
			r.Status, r.Deadline.UTC(), r.Owner, r.Calendar)
	}

	// The compliance report files the result under sg too.
	c := ch.NewCompliance(asOf)
	if err := c.Add(&handed); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	if o := rep.Policies[0].Owners; len(o) != 1 || o[0].Owner != "sg" || o[0].Met != 1 {
		t.Errorf("owners %+v, want sg with one met", o)
	}
}
