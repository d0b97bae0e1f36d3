package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// nurture is a stage the tests pause clocks in: the prospect asked to
// be left alone for a while.
const nurture lead.Stage = "nurture"

// moves returns a history of stage changes (to, at) after an MQL entry
// at mqlAt.
func moves(mqlAt time.Time, steps ...any) []lead.Transition {
	h := mql(mqlAt)
	for i := 0; i+1 < len(steps); i += 2 {
		h = append(h, lead.Transition{To: steps[i].(lead.Stage), At: steps[i+1].(time.Time)})
	}
	return h
}

// TestPauseTimelines checks hand-worked timelines of a response clock
// that stops while the lead is in nurture: a plain pause, one across a
// daylight-saving change, one over a holiday and one inside an
// overnight shift. 2026-03-02 is a Monday.
func TestPauseTimelines(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	tests := []struct {
		name             string
		cal              Calendar
		within           leadkit.Duration
		history          []lead.Transition
		touches          []lead.Activity
		asOf             time.Time
		status           Status
		deadline, metAt  time.Time
		elapsed, paused  time.Duration
		late             time.Duration
		deadlineUnpaused time.Time
	}{
		{
			// Mon-Fri 09:00-17:00 UTC, 8 working hours. MQL Mon 10:00,
			// nurture Mon 12:00 to Tue 11:00, touch Tue 16:00.
			// Before the pause 10:00-12:00 = 2h; 6h left from Tue 11:00
			// runs to Tue 17:00. Unpaused: Mon 10-17 (7h) + Tue 9-10 =
			// Tue 10:00. Paused working time: Mon 12-17 (5h) + Tue 9-11
			// (2h) = 7h. Elapsed to the touch: Mon 10-17 (7h) + Tue
			// 9-16 (7h) = 14h, minus 7h paused = 7h.
			name: "plain", cal: Calendar{Week: weekdays("09:00-17:00")}, within: hours(8),
			history: moves(utc(2026, 3, 2, 10, 0), nurture, utc(2026, 3, 2, 12, 0), lead.StageMQL, utc(2026, 3, 3, 11, 0)),
			touches: []lead.Activity{touch(lead.ActivityCall, "rep-1", utc(2026, 3, 3, 16, 0))},
			asOf:    utc(2026, 3, 6, 12, 0), status: StatusMet,
			deadline: utc(2026, 3, 3, 17, 0), metAt: utc(2026, 3, 3, 16, 0),
			elapsed: 7 * time.Hour, paused: 7 * time.Hour, deadlineUnpaused: utc(2026, 3, 3, 10, 0),
		},
		{
			// Paris, open round the clock, 24 working hours. MQL Sat
			// 2026-03-28 12:00 CET (11:00Z); nurture from 18:00 CET
			// (17:00Z) to Sun 18:00 CEST (16:00Z): the clocks go forward
			// at 02:00 on Sunday, so the pause holds 23 hours, not 24.
			// Before it 6h; 18h left from Sun 16:00Z runs to Mon 10:00Z
			// (12:00 CEST). Unpaused: Sat 11:00Z + 24h = Sun 11:00Z. No
			// touch; as of Tue: late from Mon 10:00Z to Tue 2026-03-31
			// 00:00Z = 14h; elapsed 6h + 18h + 14h = 38h.
			name: "across DST", cal: Calendar{Zone: "Europe/Paris", Week: everyDay("00:00-24:00")}, within: hours(24),
			history: moves(time.Date(2026, 3, 28, 12, 0, 0, 0, paris), nurture, time.Date(2026, 3, 28, 18, 0, 0, 0, paris),
				lead.StageMQL, time.Date(2026, 3, 29, 18, 0, 0, 0, paris)),
			asOf: utc(2026, 3, 31, 0, 0), status: StatusBreached,
			deadline: utc(2026, 3, 30, 10, 0), elapsed: 38 * time.Hour, paused: 23 * time.Hour, late: 14 * time.Hour,
			deadlineUnpaused: utc(2026, 3, 29, 11, 0),
		},
		{
			// Mon-Fri 09:00-17:00 UTC with Wed 2026-03-04 a holiday, 8
			// working hours. MQL Tue 15:00; nurture Tue 16:00 to Thu
			// 10:00. Before the pause 1h; 7h left from Thu 10:00 runs to
			// Thu 17:00. Paused working time: Tue 16-17 (1h) + the
			// holiday (0) + Thu 9-10 (1h) = 2h. No touch; as of Fri
			// 12:00 late by Fri 9-12 = 3h; elapsed Tue 15-17 (2h) + Thu
			// (8h) + Fri 9-12 (3h) = 13h minus 2h paused = 11h.
			// Unpaused: Tue 15-17 (2h), Thu 9-15 (6h) = Thu 15:00.
			name: "over a holiday", cal: Calendar{Week: weekdays("09:00-17:00"), Holidays: []Holiday{{Date: "2026-03-04"}}}, within: hours(8),
			history: moves(utc(2026, 3, 3, 15, 0), nurture, utc(2026, 3, 3, 16, 0), lead.StageMQL, utc(2026, 3, 5, 10, 0)),
			asOf:    utc(2026, 3, 6, 12, 0), status: StatusBreached,
			deadline: utc(2026, 3, 5, 17, 0), elapsed: 11 * time.Hour, paused: 2 * time.Hour, late: 3 * time.Hour,
			deadlineUnpaused: utc(2026, 3, 5, 15, 0),
		},
		{
			// A night shift 22:00-06:00 UTC every day, 8 working hours.
			// MQL Mon 23:00; nurture Tue 01:00 to Tue 23:00: paused
			// working time Tue 01:00-06:00 (5h, Monday's shift) + Tue
			// 22:00-23:00 (1h) = 6h. Before the pause 2h; 6h left from
			// Tue 23:00 runs to Wed 05:00. Touch Wed 04:30: elapsed 2h +
			// 5.5h = 7.5h. Unpaused: Mon 23:00 + 7h = Tue 06:00, then 1h
			// from Tue 22:00 = Tue 23:00.
			name: "overnight shift", cal: Calendar{Week: everyDay("22:00-06:00")}, within: hours(8),
			history: moves(utc(2026, 3, 2, 23, 0), nurture, utc(2026, 3, 3, 1, 0), lead.StageMQL, utc(2026, 3, 3, 23, 0)),
			touches: []lead.Activity{touch(lead.ActivityEmailSent, "rep-1", utc(2026, 3, 4, 4, 30))},
			asOf:    utc(2026, 3, 6, 0, 0), status: StatusMet,
			deadline: utc(2026, 3, 4, 5, 0), metAt: utc(2026, 3, 4, 4, 30), elapsed: 7*time.Hour + 30*time.Minute, paused: 6 * time.Hour,
			deadlineUnpaused: utc(2026, 3, 3, 23, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lead.Lead{ID: "L", Owner: "rep-1", History: tt.history, Activities: tt.touches}
			for _, pause := range []bool{true, false} {
				p := Policy{Name: "response", Kind: KindResponse, Within: tt.within}
				if pause {
					p.PauseIn = []lead.Stage{nurture}
				}
				ch := MustCompile(Agreement{Calendar: tt.cal, Policies: []Policy{p}})
				rs, err := ch.Check(&l, tt.asOf)
				if err != nil || len(rs) != 1 {
					t.Fatalf("Check = %v, %v", rs, err)
				}
				r := rs[0]
				if !pause {
					if !r.Deadline.Equal(tt.deadlineUnpaused) || r.Paused != 0 {
						t.Errorf("unpaused deadline %v paused %v, want %v and 0", r.Deadline, r.Paused, tt.deadlineUnpaused)
					}
					continue
				}
				if r.Status != tt.status || !r.Deadline.Equal(tt.deadline) || !r.MetAt.Equal(tt.metAt) ||
					r.Elapsed.Std() != tt.elapsed || r.Paused.Std() != tt.paused || r.Late.Std() != tt.late {
					t.Errorf("got %s deadline %v met %v elapsed %v paused %v late %v\nwant %s deadline %v met %v elapsed %v paused %v late %v",
						r.Status, r.Deadline, r.MetAt, r.Elapsed, r.Paused, r.Late,
						tt.status, tt.deadline, tt.metAt, leadkit.Duration(tt.elapsed), leadkit.Duration(tt.paused), leadkit.Duration(tt.late))
				}
				var pauses, resumes int
				for _, e := range r.Trail {
					switch e.What {
					case EventPause:
						pauses++
					case EventResume:
						resumes++
					}
				}
				if pauses != 1 || resumes != 1 || r.Trail[0].What != EventStart || !r.Trail[0].At.Equal(r.ClockStart) {
					t.Errorf("trail %+v: want a start, one pause and one resume", r.Trail)
				}
			}
		})
	}
}

// TestPausedWhileAsOf: a lead still in nurture at the as-of time is
// pending whatever the time since, and its deadline assumes the pause
// ends at the as-of time. MQL Mon 2026-03-02 10:00, nurture from 11:00,
// as of Fri 16:00 (Mon-Fri 09:00-17:00 UTC, 4h): 1h ran before the
// pause, 3h are left from Fri 16:00: Fri 16-17 (1h) then Mon 09-11.
func TestPausedWhileAsOf(t *testing.T) {
	ch := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")},
		Policies: []Policy{{Name: "response", Kind: KindResponse, Within: hours(4), PauseIn: []lead.Stage{nurture}}}})
	l := lead.Lead{ID: "L", History: moves(utc(2026, 3, 2, 10, 0), nurture, utc(2026, 3, 2, 11, 0))}
	rs, err := ch.Check(&l, utc(2026, 3, 6, 16, 0))
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	// Paused: Mon 11-17 (6h) + Tue-Thu (24h) + Fri 9-16 (7h) = 37h.
	if r.Status != StatusPending || !r.Deadline.Equal(utc(2026, 3, 9, 11, 0)) || r.Elapsed.Std() != time.Hour ||
		r.Remaining.Std() != 3*time.Hour || r.Paused.Std() != 37*time.Hour {
		t.Errorf("got %+v", r)
	}
}

// randomPauses returns up to four sorted, disjoint pauses after start.
func randomPauses(r *rand.Rand, start int64) []span {
	var out []span
	t := start
	for range r.IntN(5) {
		t += r.Int64N(int64(20 * 24 * time.Hour))
		e := t + 1 + r.Int64N(int64(10*24*time.Hour))
		out = append(out, span{t, e})
		t = e
	}
	return out
}

// TestPauseProperties checks, on random calendars, random pauses and
// random durations: pausing never brings a deadline earlier; the time
// measured up to the deadline is exactly the time allowed; measuring is
// additive (measure(a, c) = measure(a, b) + measure(b, c)); and outside
// the pauses the paused clock measures what the plain one does.
func TestPauseProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 14))
	checked := 0
	defer func() {
		if checked < 100 {
			t.Errorf("only %d of 300 cases checked", checked)
		}
	}()
	for i := range 300 {
		s, err := CompileCalendar(randomCalendar(r))
		if err != nil {
			continue
		}
		start := instantFor(r, s).UnixNano()
		if start > utc(2190, 1, 1, 0, 0).UnixNano() {
			continue
		}
		var cal *Schedule
		if i%3 != 0 {
			cal = s // a third measure elapsed time
		}
		plain := clock{cal: cal}
		paused := clock{cal: cal, pauses: randomPauses(r, start)}
		d := 1 + r.Int64N(int64(200*time.Hour))
		d0, ok0 := plain.deadline(start, d)
		d1, ok1 := paused.deadline(start, d)
		if !ok0 || !ok1 {
			continue
		}
		checked++
		if d1 < d0 {
			t.Fatalf("case %d: paused deadline %v before the plain %v", i, time.Unix(0, d1).UTC(), time.Unix(0, d0).UTC())
		}
		if got := paused.measure(start, d1); int64(got) != d {
			t.Fatalf("case %d: measure(start, deadline) = %v, want %v", i, got, time.Duration(d))
		}
		// The deadline is the earliest such instant: one nanosecond
		// earlier measures less.
		if got := paused.measure(start, d1-1); int64(got) >= d {
			t.Fatalf("case %d: the deadline is not the earliest (%v one ns before)", i, got)
		}
		b := start + r.Int64N(d1-start+1)
		c := d1 + r.Int64N(int64(30*24*time.Hour))
		if paused.measure(start, c) != paused.measure(start, b)+paused.measure(b, c) {
			t.Fatalf("case %d: measure is not additive", i)
		}
		// Outside the pauses nothing changes.
		if n := len(paused.pauses); n > 0 {
			after := paused.pauses[n-1].e
			if paused.measure(after, after+int64(48*time.Hour)) != plain.measure(after, after+int64(48*time.Hour)) {
				t.Fatalf("case %d: a pause changes the time after it", i)
			}
			if p0 := paused.pauses[0].s; p0 > start && paused.measure(start, p0) != plain.measure(start, p0) {
				t.Fatalf("case %d: a pause changes the time before it", i)
			}
		}
		if paused.paused(start, c)+int64(paused.measure(start, c)) != int64(plain.measure(start, c)) {
			t.Fatalf("case %d: paused plus measured is not the plain time", i)
		}
	}
}

// BenchmarkPausedDeadline shows that a deadline with pauses costs the
// same whatever the span: one pause of a day, of ten years or of a
// hundred, on the Paris calendar with its daylight-saving changes.
func BenchmarkPausedDeadline(b *testing.B) {
	s := MustCompileCalendar(benchCalendar())
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano()
	for _, sp := range []struct {
		name string
		d    time.Duration
	}{{"pause=1d", 24 * time.Hour}, {"pause=10y", 10 * 365 * 24 * time.Hour}, {"pause=90y", 90 * 365 * 24 * time.Hour}} {
		b.Run(sp.name, func(b *testing.B) {
			k := clock{cal: s, pauses: []span{{start + int64(time.Hour), start + int64(time.Hour) + int64(sp.d)}}}
			for b.Loop() {
				t, ok := k.deadline(start, int64(8*time.Hour))
				if !ok || k.measure(start, t) != 8*time.Hour {
					b.Fatal("wrong deadline")
				}
			}
		})
	}
}
