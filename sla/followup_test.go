package sla

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// prospect returns an activity done by the prospect.
func prospect(typ lead.ActivityType, at time.Time) lead.Activity {
	return lead.Activity{Type: typ, At: at}
}

// TestNextResponseHandWorked: every demo request or form after the MQL
// needs a touch within 4 working hours (Mon-Fri 09:00-17:00 UTC;
// 2026-03-02 is a Monday). MQL Mon 09:00.
//   - form Mon 08:00: before the MQL, not judged.
//   - demo Mon 10:00: deadline 14:00; call 13:00: met, 3h.
//   - page view Mon 11:00: not an inbound type.
//   - form Tue 16:00: deadline Tue 16-17 (1h) + Wed 09-12 (3h) = Wed
//     12:00; email Wed 11:00: met, 1h + 2h = 3h.
//   - demo Thu 16:30: deadline Thu 0.5h + Fri 09:00-12:30 = Fri 12:30;
//     no touch after it; as of Fri 15:00 breached, late 2.5h, elapsed
//     0.5h + 6h = 6.5h.
func TestNextResponseHandWorked(t *testing.T) {
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Policies: []Policy{{Name: "follow-up", Kind: KindNextResponse, Within: hours(4),
			Inbound: []lead.ActivityType{lead.ActivityDemoRequest, lead.ActivityFormSubmit}}}})
	l := lead.Lead{ID: "L", Owner: "rep-1", History: mql(utc(2026, 3, 2, 9, 0)), Activities: []lead.Activity{
		prospect(lead.ActivityFormSubmit, utc(2026, 3, 2, 8, 0)),
		prospect(lead.ActivityDemoRequest, utc(2026, 3, 2, 10, 0)),
		prospect(lead.ActivityPageView, utc(2026, 3, 2, 11, 0)),
		touch(lead.ActivityCall, "rep-1", utc(2026, 3, 2, 13, 0)),
		prospect(lead.ActivityFormSubmit, utc(2026, 3, 3, 16, 0)),
		touch(lead.ActivityEmailSent, "rep-1", utc(2026, 3, 4, 11, 0)),
		prospect(lead.ActivityDemoRequest, utc(2026, 3, 5, 16, 30)),
	}}
	asOf := utc(2026, 3, 6, 15, 0)
	rs, err := ch.Check(&l, asOf)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		start, deadline time.Time
		status          Status
		elapsed, late   time.Duration
	}
	want := []row{
		{utc(2026, 3, 2, 10, 0), utc(2026, 3, 2, 14, 0), StatusMet, 3 * time.Hour, 0},
		{utc(2026, 3, 3, 16, 0), utc(2026, 3, 4, 12, 0), StatusMet, 3 * time.Hour, 0},
		{utc(2026, 3, 5, 16, 30), utc(2026, 3, 6, 12, 30), StatusBreached, 6*time.Hour + 30*time.Minute, 2*time.Hour + 30*time.Minute},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d results, want %d: %+v", len(rs), len(want), rs)
	}
	for i, w := range want {
		r := rs[i]
		if !r.ClockStart.Equal(w.start) || !r.Deadline.Equal(w.deadline) || r.Status != w.status || r.Elapsed.Std() != w.elapsed || r.Late.Std() != w.late {
			t.Errorf("occurrence %d: got %s %v->%v elapsed %v late %v, want %+v", i, r.Status, r.ClockStart, r.Deadline, r.Elapsed, r.Late, w)
		}
	}
	// The accumulator counts occurrences: 2 met, 1 breached, 2/3.
	c := ch.NewCompliance(asOf)
	if err := c.Add(&l); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Policies[0]
	if p.Met != 2 || p.Breached != 1 || p.Compliance.String() != "0.6667" || len(p.Breaches) != 1 || rep.Leads != 1 {
		t.Errorf("report: met %d breached %d compliance %s breaches %d leads %d", p.Met, p.Breached, p.Compliance, len(p.Breaches), rep.Leads)
	}
}

// TestPeriodicHandWorked: while in SQL or opportunity, a touch at least
// every 16 working hours (Mon-Fri 09:00-17:00 UTC). SQL Mon 2026-03-02
// 09:00, opportunity Wed 12:00 (still in the stages), customer Tue
// 03-10 12:00. Touches Mon 15:00, Wed 14:00, Fri 09:00; the gaps:
// Mon 09:00-15:00 6h; Mon 15:00-Wed 14:00 2h + 8h + 5h = 15h; Wed
// 14:00-Fri 09:00 3h + 8h = 11h; Fri 09:00 to leaving on Tue 12:00 8h +
// 8h + 3h = 19h > 16h: a breach from Fri 09:00, deadline Mon 17:00,
// missed, late Tue 09-12 = 3h.
func TestPeriodicHandWorked(t *testing.T) {
	pol := Policy{Name: "nurture contact", Kind: KindPeriodic, Within: hours(16), WarnAt: decimal.NewFromInt(75),
		During: []lead.Stage{lead.StageSQL, lead.StageOpportunity}}
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")}, Policies: []Policy{pol}})
	history := []lead.Transition{{To: lead.StageSQL, At: utc(2026, 3, 2, 9, 0)}, {To: lead.StageOpportunity, At: utc(2026, 3, 4, 12, 0)},
		{To: lead.StageCustomer, At: utc(2026, 3, 10, 12, 0)}}
	touches := []lead.Activity{touch(lead.ActivityCall, "r", utc(2026, 3, 4, 14, 0)), touch(lead.ActivityCall, "r", utc(2026, 3, 2, 15, 0)),
		touch(lead.ActivityCall, "r", utc(2026, 3, 6, 9, 0))}
	tests := []struct {
		name            string
		extra           []lead.Activity
		asOf            time.Time
		status          Status
		start, deadline time.Time
		elapsed, late   time.Duration
		remaining       time.Duration
	}{
		{name: "breached", asOf: utc(2026, 3, 11, 0, 0), status: StatusBreached,
			start: utc(2026, 3, 6, 9, 0), deadline: utc(2026, 3, 9, 17, 0), elapsed: 19 * time.Hour, late: 3 * time.Hour},
		// A touch Mon 03-09 10:00 splits the last gap: Fri 09:00-Mon
		// 10:00 8h + 1h = 9h, Mon 10:00-Tue 12:00 7h + 3h = 10h. Met;
		// the longest gap is Mon 15:00-Wed 14:00, 15h.
		{name: "met", extra: []lead.Activity{touch(lead.ActivityCall, "r", utc(2026, 3, 9, 10, 0))}, asOf: utc(2026, 3, 11, 0, 0),
			status: StatusMet, start: utc(2026, 3, 2, 15, 0), deadline: utc(2026, 3, 4, 15, 0), elapsed: 15 * time.Hour},
		// As of Mon 03-09 12:00, still in opportunity: the current gap
		// from Fri 09:00 is 8h + 3h = 11h, under 75% of 16h (12h): 5h
		// left. An hour later it is 12h: at risk.
		{name: "pending", asOf: utc(2026, 3, 9, 12, 0), status: StatusPending,
			start: utc(2026, 3, 6, 9, 0), deadline: utc(2026, 3, 9, 17, 0), elapsed: 11 * time.Hour, remaining: 5 * time.Hour},
		{name: "at risk", asOf: utc(2026, 3, 9, 13, 0), status: StatusAtRisk,
			start: utc(2026, 3, 6, 9, 0), deadline: utc(2026, 3, 9, 17, 0), elapsed: 12 * time.Hour, remaining: 4 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lead.Lead{ID: "L", History: history, Activities: append(append([]lead.Activity{}, touches...), tt.extra...)}
			rs, err := ch.Check(&l, tt.asOf)
			if err != nil || len(rs) != 1 {
				t.Fatalf("Check = %v, %v", rs, err)
			}
			r := rs[0]
			if r.Status != tt.status || !r.ClockStart.Equal(tt.start) || !r.Deadline.Equal(tt.deadline) ||
				r.Elapsed.Std() != tt.elapsed || r.Late.Std() != tt.late || r.Remaining.Std() != tt.remaining {
				t.Errorf("got %s %v->%v elapsed %v late %v remaining %v", r.Status, r.ClockStart, r.Deadline, r.Elapsed, r.Late, r.Remaining)
			}
		})
	}
	// A lead never in the stages gets no result.
	rs, err := ch.Check(&lead.Lead{ID: "M", History: mql(utc(2026, 3, 2, 9, 0))}, utc(2026, 3, 11, 0, 0))
	if err != nil || len(rs) != 0 {
		t.Errorf("lead never in SQL: %v, %v", rs, err)
	}
}

// TestVersionChangeMidLead: the response promise tightens from 8 to 4
// working hours on Sun 2026-03-01 (Mon-Fri 09:00-17:00 UTC); the first
// version is in force from 2026-02-01.
//   - A: MQL Fri 02-27 15:00, before the change: judged by 8h, deadline
//     Fri 15-17 (2h) + Mon 09-15 (6h) = Mon 15:00; touched Mon 14:00:
//     met (4h would have been Mon 11:00, a breach).
//   - B: MQL Mon 03-02 10:00: judged by 4h, deadline 14:00; touched
//     15:00: breached, 1h late, naming the new version.
//   - C: MQL 2026-01-15, before any version: not judged.
func TestVersionChangeMidLead(t *testing.T) {
	v1 := Policy{Name: "response", Kind: KindResponse, Within: hours(8), EffectiveFrom: utc(2026, 2, 1, 0, 0)}
	v2 := Policy{Name: "response", Kind: KindResponse, Within: hours(4), EffectiveFrom: utc(2026, 3, 1, 0, 0)}
	// Versions may be listed in any order.
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")}, Policies: []Policy{v2, v1}})
	leads := []lead.Lead{
		{ID: "A", Owner: "rep-1", History: mql(utc(2026, 2, 27, 15, 0)), Activities: []lead.Activity{touch(lead.ActivityCall, "rep-1", utc(2026, 3, 2, 14, 0))}},
		{ID: "B", Owner: "rep-1", History: mql(utc(2026, 3, 2, 10, 0)), Activities: []lead.Activity{touch(lead.ActivityCall, "rep-1", utc(2026, 3, 2, 15, 0))}},
		{ID: "C", Owner: "rep-1", History: mql(utc(2026, 1, 15, 10, 0))},
	}
	asOf := utc(2026, 3, 6, 0, 0)
	want := []struct {
		status   Status
		deadline time.Time
		version  time.Time
	}{
		{StatusMet, utc(2026, 3, 2, 15, 0), v1.EffectiveFrom},
		{StatusBreached, utc(2026, 3, 2, 14, 0), v2.EffectiveFrom},
	}
	for i, w := range want {
		rs, err := ch.Check(&leads[i], asOf)
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v, %v", leads[i].ID, rs, err)
		}
		if r := rs[0]; r.Status != w.status || !r.Deadline.Equal(w.deadline) || !r.Version.Equal(w.version) {
			t.Errorf("%s: got %s deadline %v version %v, want %+v", leads[i].ID, r.Status, r.Deadline, r.Version, w)
		}
	}
	if rs, err := ch.Check(&leads[2], asOf); err != nil || len(rs) != 0 {
		t.Errorf("C: %v, %v; want no result", rs, err)
	}
	// The accumulator merges the versions under one name, and its state
	// round-trips with the version of each breach.
	a, b := ch.NewCompliance(asOf), ch.NewCompliance(asOf)
	for i := range leads {
		acc := a
		if i == 1 {
			acc = b
		}
		if err := acc.Add(&leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	data, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var b2 Compliance
	if err := b2.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(&b2); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Policies) != 1 {
		t.Fatalf("%d policy reports, want 1", len(rep.Policies))
	}
	p := rep.Policies[0]
	if p.Met != 1 || p.Breached != 1 || rep.Leads != 3 || len(p.Breaches) != 1 || !p.Breaches[0].Version.Equal(v2.EffectiveFrom) {
		t.Errorf("report: met %d breached %d leads %d breaches %+v", p.Met, p.Breached, rep.Leads, p.Breaches)
	}
}

// TestOwnerCalendars: rep-sg works Singapore hours (UTC+8, Mon-Fri
// 09:00-18:00), everyone else the default Mon-Fri 09:00-17:00 UTC; 4
// working hours to respond. Both leads MQL Mon 2026-03-02 08:00Z (16:00
// in Singapore) and are touched at 10:00Z (18:00 in Singapore, closed).
//   - rep-sg: Mon 16:00-18:00 SGT (2h) then Tue 09:00-11:00 SGT: the
//     deadline is Tue 03:00Z; elapsed to the touch 2h: met.
//   - rep-uk: opens 09:00Z: deadline 13:00Z; elapsed 09:00-10:00 = 1h.
func TestOwnerCalendars(t *testing.T) {
	sg := mustLoad(t, "Asia/Singapore")
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Calendars: []TeamCalendar{{Name: "singapore", Owners: []string{"rep-sg"}, Calendar: Calendar{Zone: "Asia/Singapore", Week: weekdays("09:00-18:00")}}},
		Policies:  []Policy{{Name: "response", Kind: KindResponse, Within: hours(4)}}})
	for _, tt := range []struct {
		owner, cal string
		deadline   time.Time
		elapsed    time.Duration
		loc        *time.Location
	}{
		{"rep-sg", "singapore", utc(2026, 3, 3, 3, 0), 2 * time.Hour, sg},
		{"rep-uk", "", utc(2026, 3, 2, 13, 0), time.Hour, time.UTC},
	} {
		l := lead.Lead{ID: tt.owner, Owner: tt.owner, History: mql(utc(2026, 3, 2, 8, 0)),
			Activities: []lead.Activity{touch(lead.ActivityCall, tt.owner, utc(2026, 3, 2, 10, 0))}}
		rs, err := ch.Check(&l, utc(2026, 3, 6, 0, 0))
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v, %v", tt.owner, rs, err)
		}
		r := rs[0]
		if r.Status != StatusMet || r.Calendar != tt.cal || !r.Deadline.Equal(tt.deadline) || r.Elapsed.Std() != tt.elapsed || r.Deadline.Location().String() != tt.loc.String() {
			t.Errorf("%s: got %s calendar %q deadline %v elapsed %v", tt.owner, r.Status, r.Calendar, r.Deadline, r.Elapsed)
		}
	}
}

// TestClosures: partial-day closures, hand-worked.
func TestClosures(t *testing.T) {
	tests := []struct {
		name     string
		cal      Calendar
		from, to time.Time
		want     time.Duration
	}{
		// Thu 2026-12-24 closes at 13:00: 09-13 (4h), then Fri 25 (8h).
		{"afternoon off", Calendar{Week: weekdays("09:00-17:00"), Closures: []Closure{{Date: "2026-12-24", From: "13:00"}}},
			utc(2026, 12, 24, 0, 0), utc(2026, 12, 26, 0, 0), 12 * time.Hour},
		// Plus a staff meeting 10:00-11:00 that day: 3h + 8h.
		{"two closures", Calendar{Week: weekdays("09:00-17:00"), Closures: []Closure{{Date: "2026-12-24", From: "13:00"}, {Date: "2026-12-24", From: "10:00", To: "11:00"}}},
			utc(2026, 12, 24, 0, 0), utc(2026, 12, 26, 0, 0), 11 * time.Hour},
		// A closure on an overridden date cuts the override's hours:
		// 08:00-12:00 minus 08:00-09:00 = 3h.
		{"on an override", Calendar{Week: weekdays("09:00-17:00"), Overrides: []Override{{Date: "2026-12-24", Hours: []string{"08:00-12:00"}}},
			Closures: []Closure{{Date: "2026-12-24", To: "09:00"}}},
			utc(2026, 12, 24, 0, 0), utc(2026, 12, 25, 0, 0), 3 * time.Hour},
		// Night shift 22:00-06:00; Tue 2026-03-03 closed 00:00-03:00
		// cuts Monday's shift after midnight: Mon 22-24 (2h) + Tue
		// 03-06 (3h) = 5h from Mon noon to Tue noon.
		{"overnight", Calendar{Week: everyDay("22:00-06:00"), Closures: []Closure{{Date: "2026-03-03", To: "03:00"}}},
			utc(2026, 3, 2, 12, 0), utc(2026, 3, 3, 12, 0), 5 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustCompileCalendar(tt.cal)
			if got, err := s.WorkingTime(tt.from, tt.to); err != nil || got != tt.want {
				t.Errorf("WorkingTime = %v, %v; want %v", got, err, tt.want)
			}
			// The deadline agrees: want of working time from `from`
			// ends at or before `to`, and no later than the last
			// working instant before it.
			dl, err := s.Deadline(tt.from, tt.want)
			if err != nil || dl.After(tt.to) {
				t.Errorf("Deadline = %v, %v", dl, err)
			}
		})
	}
	bad := Calendar{Week: weekdays("09:00-17:00"), Closures: []Closure{{Date: "2026-12-24", From: "14:00", To: "13:00"}, {Date: "24/12", From: "13:00"}, {Date: "2026-12-31", From: "25:00"}}}
	err := bad.Validate()
	for _, want := range []string{"closures[0]: from 14:00 is not before to 13:00", "closures[1].date", "closures[2].from"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v; want %q", err, want)
		}
	}
}

// TestDueSoon: the morning list, sorted by time left. Mon-Fri
// 09:00-17:00 UTC, 8 working hours to respond; as of Tue 2026-03-03
// 09:00. MQL times and time left: A Mon 10:00 (1h: deadline Tue 10:00),
// B Mon 16:00 (7h), C Mon 12:00 (3h), D Mon 09:00 (0: due now, breached
// at its deadline), E touched (met).
func TestDueSoon(t *testing.T) {
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Policies: []Policy{{Name: "response", Kind: KindResponse, Within: hours(8), WarnAt: decimal.NewFromInt(75)}}})
	leads := []lead.Lead{
		{ID: "A", History: mql(utc(2026, 3, 2, 10, 0))},
		{ID: "B", History: mql(utc(2026, 3, 2, 16, 0))},
		{ID: "C", History: mql(utc(2026, 3, 2, 12, 0))},
		{ID: "D", History: mql(utc(2026, 3, 2, 9, 0))},
		{ID: "E", History: mql(utc(2026, 3, 2, 10, 0)), Activities: []lead.Activity{touch(lead.ActivityCall, "r", utc(2026, 3, 2, 11, 0))}},
	}
	asOf := utc(2026, 3, 3, 9, 0)
	got, err := ch.DueSoon(leads, asOf, 4*time.Hour, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.LeadID+":"+string(r.Status)+":"+r.Remaining.String())
	}
	// A: elapsed 7h >= 75% of 8h (6h): at risk. C: elapsed 5h: pending.
	if want := "A:at_risk:1h C:pending:3h"; strings.Join(ids, " ") != want {
		t.Errorf("DueSoon = %q, want %q", strings.Join(ids, " "), want)
	}
	if got, _ := ch.DueSoon(leads, asOf, 8*time.Hour, 2); len(got) != 2 || got[1].LeadID != "C" {
		t.Errorf("limit 2: %+v", got)
	}
	if _, err := ch.DueSoon(leads, asOf, -time.Hour, 0); err == nil {
		t.Error("negative time accepted")
	}
	if got, err := (*Checker)(nil).DueSoon(leads, asOf, time.Hour, 0); err == nil || got != nil {
		t.Error("nil checker accepted")
	}
	if got, err := ch.DueSoon(nil, asOf, time.Hour, 0); err != nil || got != nil {
		t.Errorf("nil leads: %v, %v", got, err)
	}
}

// TestAuditTrail: the trail of the plain pause timeline (see
// TestPauseTimelines): start Mon 10:00, pause Mon 12:00, resume Tue
// 11:00, met by the call Tue 16:00, deadline Tue 17:00.
func TestAuditTrail(t *testing.T) {
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Policies: []Policy{{Name: "response", Kind: KindResponse, Within: hours(8), PauseIn: []lead.Stage{nurture}}}})
	l := lead.Lead{ID: "L", History: moves(utc(2026, 3, 2, 10, 0), nurture, utc(2026, 3, 2, 12, 0), lead.StageMQL, utc(2026, 3, 3, 11, 0)),
		Activities: []lead.Activity{touch(lead.ActivityCall, "rep-1", utc(2026, 3, 3, 16, 0))}}
	rs, err := ch.Check(&l, utc(2026, 3, 6, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rs[0].Trail {
		got = append(got, e.At.Format("Mon 15:04")+" "+e.What+" "+e.Detail)
	}
	want := []string{
		"Mon 10:00 start version in force since always; default calendar; within 8h",
		"Mon 12:00 pause ",
		"Tue 11:00 resume ",
		"Tue 16:00 met call by rep-1",
		"Tue 17:00 deadline ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The accumulator's breaches carry no trail; decoding refuses one.
	c := ch.NewCompliance(utc(2026, 3, 6, 0, 0))
	late := l
	late.Activities = nil
	if err := c.Add(&late); err != nil {
		t.Fatal(err)
	}
	r, _ := c.Report()
	if len(r.Policies[0].Breaches) != 1 || r.Policies[0].Breaches[0].Trail != nil {
		t.Errorf("breaches: %+v", r.Policies[0].Breaches)
	}
}

// TestValidateNewFields: every new field is checked where it applies.
func TestValidateNewFields(t *testing.T) {
	week := Calendar{Week: weekdays("09:00-17:00")}
	tests := []struct {
		name string
		a    Agreement
		want []string
	}{
		{"next_response without inbound", Agreement{Calendar: week, Policies: []Policy{{Name: "n", Kind: KindNextResponse, Within: hours(4)}}},
			[]string{"policies[0].inbound: missing"}},
		{"periodic without during, with a stage and a pause", Agreement{Calendar: week, Policies: []Policy{{Name: "p", Kind: KindPeriodic, Within: hours(4), Stage: lead.StageSQL, PauseIn: []lead.Stage{nurture}}}},
			[]string{"policies[0].stage: does not apply", "policies[0].during: missing", "policies[0].pause_in: does not apply"}},
		{"fields on the wrong kinds", Agreement{Calendar: week, Policies: []Policy{
			{Name: "r", Kind: KindResponse, Within: hours(4), Inbound: []lead.ActivityType{"x"}, During: []lead.Stage{"y"}, PauseIn: []lead.Stage{lead.StageMQL}, WarnAt: decimal.NewFromInt(120)},
			{Name: "v", Kind: KindVolume, Period: leadkit.Week, Target: 1, PauseIn: []lead.Stage{nurture}, WarnAt: decimal.NewFromInt(50), EffectiveFrom: utc(2026, 1, 1, 0, 0)}}},
			[]string{"policies[0].inbound: applies only", "policies[0].during: applies only", "policies[0].pause_in: stage \"mql\" starts the clock",
				"policies[0].warn_at: 120", "policies[1].pause_in: does not apply", "policies[1].warn_at: does not apply", "policies[1].effective_from: does not apply"}},
		{"versions", Agreement{Calendar: week, Policies: []Policy{
			{Name: "r", Kind: KindResponse, Within: hours(4)},
			{Name: "r", Kind: KindResponse, Within: hours(2)},
			{Name: "r", Kind: KindAttempts, Within: hours(2), Attempts: 1, EffectiveFrom: utc(2026, 1, 1, 0, 0)},
			{Name: "r", Kind: KindResponse, Within: hours(2), EffectiveFrom: utc(2300, 1, 1, 0, 0)}}},
			[]string{"policies[1].effective_from: policies[0], a version of \"r\", takes effect at the same instant",
				"policies[2].name: \"r\" is already the name of policies[0], with another kind", "policies[3].effective_from: 2300-01-01T00:00:00Z is outside"}},
		{"calendars", Agreement{Calendar: week, Policies: []Policy{{Name: "r", Kind: KindResponse, Within: hours(4)}},
			Calendars: []TeamCalendar{{Name: "a", Owners: []string{"x"}, Calendar: week}, {Name: "a", Owners: []string{"x"}, Calendar: Calendar{Zone: "Nowhere/City", Week: weekdays("09:00-17:00")}}, {Calendar: week}}},
			[]string{"calendars[1].name: \"a\" is already", "calendars[1].owners[0]: owner \"x\" is already on calendars[0]", "calendars[1].calendar.zone",
				"calendars[2].name: missing", "calendars[2].owners: none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v\nwant %q", err, w)
				}
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("not a *leadkit.Error: %T", err)
			}
		})
	}
}

// TestFollowUpSegments: next_response and periodic policies take
// segment filters like the others. The same lead (50 employees, one
// demo request at Mon 2026-03-02 10:00 after its MQL, in SQL from
// 09:00, never touched) is judged only by the policies whose segment
// includes it.
func TestFollowUpSegments(t *testing.T) {
	week := Calendar{Week: weekdays("09:00-17:00")}
	l := lead.Lead{ID: "L", Company: lead.Company{Employees: 50},
		History:    []lead.Transition{{To: lead.StageMQL, At: utc(2026, 3, 2, 9, 0)}, {To: lead.StageSQL, At: utc(2026, 3, 2, 9, 0)}},
		Activities: []lead.Activity{prospect(lead.ActivityDemoRequest, utc(2026, 3, 2, 10, 0))}}
	for _, seg := range []struct {
		expr string
		n    int
	}{{"", 2}, {"company.employees >= 500", 0}, {"company.employees < 500", 2}} {
		ch := MustCompile(Agreement{Calendar: week, Policies: []Policy{
			{Name: "n", Kind: KindNextResponse, Within: hours(4), Inbound: []lead.ActivityType{lead.ActivityDemoRequest}, Segment: seg.expr},
			{Name: "p", Kind: KindPeriodic, Within: hours(4), During: []lead.Stage{lead.StageSQL}, Segment: seg.expr},
		}})
		rs, err := ch.Check(&l, utc(2026, 3, 3, 9, 0))
		if err != nil || len(rs) != seg.n {
			t.Errorf("segment %q: %d results (%v), want %d", seg.expr, len(rs), err, seg.n)
		}
		// Both breached: 4h from 10:00 (next_response) and from 09:00
		// (periodic) ran out by Tuesday 09:00.
		for _, r := range rs {
			if r.Status != StatusBreached {
				t.Errorf("segment %q: %s is %s", seg.expr, r.Policy, r.Status)
			}
		}
	}
}
