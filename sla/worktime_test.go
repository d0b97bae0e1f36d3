package sla

import (
	"errors"
	"testing"
	"time"
)

// Hand-worked cases. Where a case comes from the test suite or README of
// an established business-time library, the comment names it; the
// libraries agree on these (except where noted), and so do we.
//
//   - rickar/cal v2 (Go), cal_business_test.go: NewBusinessCalendar is
//     Monday to Friday 09:00-17:00 UTC.
//   - Ruby working_hours (Intrepidd) README: default Monday to Friday
//     09:00-17:00.
//   - Ruby business_time (bokmann) test suite: 09:00-17:00 by default.
//   - Python businesstimedelta README: 09:00-18:00 with a 12:00-13:00
//     lunch break, Monday to Friday.
//   - Zendesk biz README: several intervals per day, "00:00" => "24:00"
//     for a whole day, Time zone per schedule, elapsed-time DST handling.

var (
	std   = Calendar{Week: weekdays("09:00-17:00")}
	split = Calendar{Week: weekdays("09:00-12:00", "13:00-18:00")}
	night = Calendar{Week: weekdays("22:00-06:00")}
)

func utc(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}

func TestWorkingTimeHandWorked(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	la := mustLoad(t, "America/Los_Angeles")
	tests := []struct {
		name     string
		cal      Calendar
		from, to time.Time
		want     time.Duration
	}{
		// rickar/cal TestWorkHoursInRange: Wed 2020-04-01 06:00 to 23:00
		// covers the whole 09:00-17:00 day: 8h.
		{"whole day from before opening to after closing", std, utc(2020, 4, 1, 6, 0), utc(2020, 4, 1, 23, 0), 8 * time.Hour},
		// rickar/cal: Wed 18:00 to Thu 12:00 = Thu 09:00-12:00 = 3h.
		{"after closing to next morning", std, utc(2020, 4, 1, 18, 0), utc(2020, 4, 2, 12, 0), 3 * time.Hour},
		// rickar/cal: 14:00 to 18:00 = 14:00-17:00 = 3h.
		{"to after closing", std, utc(2020, 4, 1, 14, 0), utc(2020, 4, 1, 18, 0), 3 * time.Hour},
		// rickar/cal: Wed 09:15 to Thu 12:00 = 7h45m + 3h = 10h45m.
		{"across a night", std, utc(2020, 4, 1, 9, 15), utc(2020, 4, 2, 12, 0), 10*time.Hour + 45*time.Minute},
		// rickar/cal: Sat 2020-04-04 09:00 to Mon 08:00: nothing open.
		{"weekend only", std, utc(2020, 4, 4, 9, 0), utc(2020, 4, 6, 8, 0), 0},
		// working_hours README: Sun 2014-08-03 08:32 to Mon 2014-08-04
		// 10:32 = Mon 09:00-10:32 = 1h32m (5520 s).
		{"from a Sunday", std, utc(2014, 8, 3, 8, 32), utc(2014, 8, 4, 10, 32), 92 * time.Minute},
		// business_time test_calculating_business_duration: hours
		// mon/fri 09:00-17:00, sat 10:00-15:00; Fri 2010-12-24 15:00 to
		// Mon 2010-12-27 11:00 = Fri 2h + Sat 5h + Mon 2h = 9h.
		{"per-day hours", Calendar{Week: Week{Monday: []string{"09:00-17:00"}, Friday: []string{"09:00-17:00"}, Saturday: []string{"10:00-15:00"}}},
			utc(2010, 12, 24, 15, 0), utc(2010, 12, 27, 11, 0), 9 * time.Hour},
		// businesstimedelta README: Mon 2016-01-18 09:00 to Fri
		// 2016-01-22 18:00 with a lunch break = 5 days × 8h = 40h.
		{"split shifts over a week", split, utc(2016, 1, 18, 9, 0), utc(2016, 1, 22, 18, 0), 40 * time.Hour},
		// Lunch break: 11:00-14:00 holds 11-12 and 13-14 = 2h.
		{"across the lunch break", split, utc(2016, 1, 18, 11, 0), utc(2016, 1, 18, 14, 0), 2 * time.Hour},
		// business_time holiday test: Mon 2010-07-05 a holiday; Fri
		// 2010-07-02 16:50 to Tue 07-06 09:10 = 10m + 10m = 20m.
		{"holiday Monday", Calendar{Week: weekdays("09:00-17:00"), Holidays: []Holiday{{Date: "2010-07-05"}}},
			utc(2010, 7, 2, 16, 50), utc(2010, 7, 6, 9, 10), 20 * time.Minute},
		// Half day override on Thu 2026-12-24 09:00-12:00: Wed 16:00 to
		// Fri 2026-12-25 10:00 = 1h + 3h + 1h = 5h.
		{"override half day", Calendar{Week: weekdays("09:00-17:00"), Overrides: []Override{{Date: "2026-12-24", Hours: []string{"09:00-12:00"}}}},
			utc(2026, 12, 23, 16, 0), utc(2026, 12, 25, 10, 0), 5 * time.Hour},
		// Reversed span: the negative of the forward one.
		{"reversed", std, utc(2020, 4, 2, 12, 0), utc(2020, 4, 1, 18, 0), -3 * time.Hour},
		// Overnight Mon-Fri 22:00-06:00: Sat 2026-11-21 00:00 to Mon
		// 11-23 23:00 = Friday's shift until Sat 06:00 (6h) + Mon
		// 22:00-23:00 (1h) = 7h.
		{"overnight shift belongs to its start day", night, utc(2026, 11, 21, 0, 0), utc(2026, 11, 23, 23, 0), 7 * time.Hour},
		// Holiday Fri 2026-11-20: Thursday's shift still runs to Fri
		// 06:00 (6h of it after Fri 00:00); Friday's own shift is
		// cancelled, so Sat 00:00-06:00 is closed. Total 6h.
		{"holiday cancels its own overnight shift only", Calendar{Week: night.Week, Holidays: []Holiday{{Date: "2026-11-20"}}},
			utc(2026, 11, 20, 0, 0), utc(2026, 11, 23, 0, 0), 6 * time.Hour},
		// Four weeks of 40h = 160h (2026-11-02 is a Monday).
		{"four weeks", std, utc(2026, 11, 2, 0, 0), utc(2026, 11, 30, 0, 0), 160 * time.Hour},

		// Europe/Paris: 2026-03-29 02:00 CET becomes 03:00 CEST; on
		// 2026-10-25 03:00 CEST becomes 02:00 CET.
		{"Paris spring day holds 23h", Calendar{Zone: "Europe/Paris", Week: everyDay("00:00-24:00")},
			time.Date(2026, 3, 29, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 0, 0, 0, 0, paris), 23 * time.Hour},
		{"Paris autumn day holds 25h", Calendar{Zone: "Europe/Paris", Week: everyDay("00:00-24:00")},
			time.Date(2026, 10, 25, 0, 0, 0, 0, paris), time.Date(2026, 10, 26, 0, 0, 0, 0, paris), 25 * time.Hour},
		// A 24/7 week spanning the spring change: 7×24 − 1 = 167h.
		{"Paris week across spring", Calendar{Zone: "Europe/Paris", Week: everyDay("00:00-24:00")},
			time.Date(2026, 3, 23, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 0, 0, 0, 0, paris), 167 * time.Hour},
		// Office hours are untouched by a Sunday change: 40h.
		{"Paris office week across spring", Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-17:00")},
			time.Date(2026, 3, 23, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 23, 0, 0, 0, paris), 48 * time.Hour},
		// Sunday shift 02:30-04:00 on 2026-03-29: 02:30 does not exist,
		// the start moves to 03:00 CEST (01:00 UTC); 04:00 CEST is 02:00
		// UTC: 1h instead of 1h30m.
		{"Paris shift starting in the gap", Calendar{Zone: "Europe/Paris", Week: Week{Sunday: []string{"02:30-04:00"}}},
			time.Date(2026, 3, 29, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 0, 0, 0, 0, paris), time.Hour},
		// The same shift a week earlier: 1h30m.
		{"Paris shift a week before", Calendar{Zone: "Europe/Paris", Week: Week{Sunday: []string{"02:30-04:00"}}},
			time.Date(2026, 3, 22, 0, 0, 0, 0, paris), time.Date(2026, 3, 23, 0, 0, 0, 0, paris), 90 * time.Minute},
		// Sunday 02:30-03:30 on 2026-10-25: 02:30 happens twice and takes
		// the first (CEST, 00:30 UTC); 03:30 CET is 02:30 UTC: 2h.
		{"Paris shift starting at an ambiguous time", Calendar{Zone: "Europe/Paris", Week: Week{Sunday: []string{"02:30-03:30"}}},
			time.Date(2026, 10, 25, 0, 0, 0, 0, paris), time.Date(2026, 10, 26, 0, 0, 0, 0, paris), 2 * time.Hour},
		// Saturday overnight 22:00-06:00 into the autumn change: Sat 22:00
		// CEST (20:00 UTC) to Sun 06:00 CET (05:00 UTC) = 9h.
		{"Paris overnight across autumn", Calendar{Zone: "Europe/Paris", Week: Week{Saturday: []string{"22:00-06:00"}}},
			utc(2026, 10, 24, 0, 0), utc(2026, 10, 26, 0, 0), 9 * time.Hour},

		// America/Los_Angeles: 2026-03-08 02:00 PST becomes 03:00 PDT;
		// 2026-11-01 02:00 PDT becomes 01:00 PST.
		{"LA spring day holds 23h", Calendar{Zone: "America/Los_Angeles", Week: everyDay("00:00-24:00")},
			time.Date(2026, 3, 8, 0, 0, 0, 0, la), time.Date(2026, 3, 9, 0, 0, 0, 0, la), 23 * time.Hour},
		{"LA autumn day holds 25h", Calendar{Zone: "America/Los_Angeles", Week: everyDay("00:00-24:00")},
			time.Date(2026, 11, 1, 0, 0, 0, 0, la), time.Date(2026, 11, 2, 0, 0, 0, 0, la), 25 * time.Hour},
		// Sunday 02:30-04:00 on 2026-03-08: start moves forward to 03:00
		// PDT (10:00 UTC), end 04:00 PDT (11:00 UTC): 1h. (The standard
		// library would resolve 02:30 backwards to 01:30 PST here.)
		{"LA shift starting in the gap", Calendar{Zone: "America/Los_Angeles", Week: Week{Sunday: []string{"02:30-04:00"}}},
			utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0), time.Hour},
		// Sunday 01:30-02:30 on 2026-11-01: 01:30 first occurrence is PDT
		// (08:30 UTC); 02:30 PST is 10:30 UTC: 2h.
		{"LA shift starting at an ambiguous time", Calendar{Zone: "America/Los_Angeles", Week: Week{Sunday: []string{"01:30-02:30"}}},
			utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0), 2 * time.Hour},
		// Office hours in LA seen from UTC instants: Mon 2026-11-23 17:00
		// UTC (09:00 PST) to 2026-11-24 01:00 UTC (17:00 PST) = 8h.
		{"LA office day from UTC", Calendar{Zone: "America/Los_Angeles", Week: weekdays("09:00-17:00")},
			utc(2026, 11, 23, 12, 0), utc(2026, 11, 24, 6, 0), 8 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustCompileCalendar(tt.cal)
			if got := mustWT(s, tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingTime(%v, %v) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
			if got := mustWT(s, tt.to, tt.from); got != -tt.want {
				t.Errorf("WorkingTime(to, from) = %v, want %v", got, -tt.want)
			}
		})
	}
}

func TestDeadlineHandWorked(t *testing.T) {
	paris := mustLoad(t, "Europe/Paris")
	la := mustLoad(t, "America/Los_Angeles")
	tests := []struct {
		name string
		cal  Calendar
		from time.Time
		d    time.Duration
		want time.Time
	}{
		// business_time test_business_hours: 8 business hours after Wed
		// 2010-08-04 09:35 = 7h25m to 17:00 + 35m Thursday = Thu 09:35.
		{"to next day", std, utc(2010, 8, 4, 9, 35), 8 * time.Hour, utc(2010, 8, 5, 9, 35)},
		// business_time: 8 business hours before = Tue 2010-08-03 09:35.
		{"backwards to previous day", std, utc(2010, 8, 4, 9, 35), -8 * time.Hour, utc(2010, 8, 3, 9, 35)},
		// businesstimedelta README: Mon 2016-01-18 09:00 + 40h = Fri
		// 2016-01-22 18:00, the closing time, not Monday's opening.
		{"lands exactly at closing time", split, utc(2016, 1, 18, 9, 0), 40 * time.Hour, utc(2016, 1, 22, 18, 0)},
		// businesstimedelta README: Fri 18:00 − 40h = Mon 09:00, the
		// opening time, not the previous Friday's closing.
		{"backwards lands exactly at opening time", split, utc(2016, 1, 22, 18, 0), -40 * time.Hour, utc(2016, 1, 18, 9, 0)},
		// working_hours README: Mon 2014-08-04 08:32 − 4h = Fri
		// 2014-08-01 13:00 (17:00 − 4h).
		{"backwards from before opening across a weekend", std, utc(2014, 8, 4, 8, 32), -4 * time.Hour, utc(2014, 8, 1, 13, 0)},
		// Fri 2010-04-09 16:30 + 1h = 30m Friday + 30m Monday = Mon
		// 2010-04-12 09:30 (business_time: "take into account a weekend
		// when adding an hour").
		{"across a weekend", std, utc(2010, 4, 9, 16, 30), time.Hour, utc(2010, 4, 12, 9, 30)},
		// Before opening: Mon 07:00 + 2h = 11:00.
		{"from before opening", std, utc(2010, 4, 12, 7, 0), 2 * time.Hour, utc(2010, 4, 12, 11, 0)},
		// After closing: Mon 18:00 + 8h = Tue 17:00 (exactly closing).
		{"from after closing a full day", std, utc(2010, 4, 12, 18, 0), 8 * time.Hour, utc(2010, 4, 13, 17, 0)},
		// d = 0 gives from itself, even when closed.
		{"zero", std, utc(2010, 4, 10, 3, 0), 0, utc(2010, 4, 10, 3, 0)},
		// Split shift: Mon 11:30 + 1h = 30m before lunch + 30m after =
		// 13:30.
		{"across lunch", split, utc(2016, 1, 18, 11, 30), time.Hour, utc(2016, 1, 18, 13, 30)},
		// Exactly the morning shift: Mon 09:00 + 3h = 12:00, lunch start.
		{"exactly at lunch", split, utc(2016, 1, 18, 9, 0), 3 * time.Hour, utc(2016, 1, 18, 12, 0)},
		// Holiday Mon 2010-07-05: Fri 2010-07-02 16:50 + 20m = Tue 09:10.
		{"over a holiday", Calendar{Week: weekdays("09:00-17:00"), Holidays: []Holiday{{Date: "2010-07-05"}}},
			utc(2010, 7, 2, 16, 50), 20 * time.Minute, utc(2010, 7, 6, 9, 10)},
		// Overnight Mon-Fri 22:00-06:00: Mon 2026-11-23 21:00 + 9h = Mon
		// 22:00 to Tue 06:00 (8h) + Tue 22:00-23:00 = Tue 23:00.
		{"overnight", night, utc(2026, 11, 23, 21, 0), 9 * time.Hour, utc(2026, 11, 24, 23, 0)},
		// Fri 2026-11-27 23:00 + 8h = 7h to Sat 06:00 + Mon 22:00-23:00.
		{"overnight into the weekend", night, utc(2026, 11, 27, 23, 0), 8 * time.Hour, utc(2026, 11, 30, 23, 0)},
		// 52 weeks of 40h from Mon 2026-01-05 00:00 UTC: exactly 52 weeks
		// later the last hour ends on Fri 2026-12-31... count instead:
		// 2080h = 52 × 40h, the 52nd week's Friday 17:00 is 2027-01-01.
		{"a year of working time", std, utc(2026, 1, 5, 0, 0), 2080 * time.Hour, utc(2027, 1, 1, 17, 0)},

		// Paris office hours: Fri 2026-03-27 16:00 CET + 2h = 1h Friday +
		// Mon 2026-03-30 09:00-10:00 CEST = 08:00 UTC.
		{"Paris across the spring weekend", Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-17:00")},
			time.Date(2026, 3, 27, 16, 0, 0, 0, paris), 2 * time.Hour, utc(2026, 3, 30, 8, 0)},
		// Paris 24/7 from 2026-10-25 00:00 CEST (22:00 UTC the day
		// before) + 25h = 2026-10-25 23:00 UTC = Mon 00:00 CET.
		{"Paris autumn day elapsed", Calendar{Zone: "Europe/Paris", Week: everyDay("00:00-24:00")},
			time.Date(2026, 10, 25, 0, 0, 0, 0, paris), 25 * time.Hour, utc(2026, 10, 25, 23, 0)},
		// LA 24/7 from 2026-03-08 00:00 PST (08:00 UTC) + 3h = 11:00 UTC
		// (04:00 PDT).
		{"LA spring elapsed", Calendar{Zone: "America/Los_Angeles", Week: everyDay("00:00-24:00")},
			time.Date(2026, 3, 8, 0, 0, 0, 0, la), 3 * time.Hour, utc(2026, 3, 8, 11, 0)},
		// LA office hours: Fri 2026-10-30 16:00 PDT + 2h = 1h Friday + Mon
		// 2026-11-02 09:00-10:00 PST = 18:00 UTC.
		{"LA across the autumn weekend", Calendar{Zone: "America/Los_Angeles", Week: weekdays("09:00-17:00")},
			time.Date(2026, 10, 30, 16, 0, 0, 0, la), 2 * time.Hour, utc(2026, 11, 2, 18, 0)},
		// Backwards in LA: Mon 2026-11-02 10:00 PST − 2h = Fri 16:00 PDT
		// = 23:00 UTC.
		{"LA backwards across the autumn weekend", Calendar{Zone: "America/Los_Angeles", Week: weekdays("09:00-17:00")},
			time.Date(2026, 11, 2, 10, 0, 0, 0, la), -2 * time.Hour, utc(2026, 10, 30, 23, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustCompileCalendar(tt.cal)
			got := mustDL(s, tt.from, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Deadline(%v, %v) = %v, want %v", tt.from, tt.d, got, tt.want.In(s.Location()))
			}
			if got.Location() != s.Location() {
				t.Errorf("Deadline location = %v, want %v", got.Location(), s.Location())
			}
		})
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	tests := []struct {
		name string
		cal  Calendar
		at   time.Time
		open bool
		next time.Time
	}{
		// rickar/cal TestIsWorkTime / TestNextWorkdayStart (cal1).
		{"midday", std, utc(2020, 4, 1, 12, 0), true, utc(2020, 4, 1, 12, 0)},
		{"before opening", std, utc(2020, 4, 1, 6, 0), false, utc(2020, 4, 1, 9, 0)},
		{"midnight", std, utc(2020, 4, 1, 0, 0), false, utc(2020, 4, 1, 9, 0)},
		{"after closing", std, utc(2020, 4, 1, 20, 0), false, utc(2020, 4, 2, 9, 0)},
		{"Saturday", std, utc(2020, 4, 4, 12, 0), false, utc(2020, 4, 6, 9, 0)},
		{"Sunday", std, utc(2020, 4, 5, 12, 0), false, utc(2020, 4, 6, 9, 0)},
		// Half-open shifts: open at 09:00, closed at 17:00 (biz and
		// businesstimedelta; rickar/cal counts 17:00 as open).
		{"opening instant", std, utc(2020, 4, 1, 9, 0), true, utc(2020, 4, 1, 9, 0)},
		{"closing instant", std, utc(2020, 4, 1, 17, 0), false, utc(2020, 4, 2, 9, 0)},
		{"lunch", split, utc(2016, 1, 18, 12, 30), false, utc(2016, 1, 18, 13, 0)},
		{"overnight Saturday morning", night, utc(2026, 11, 21, 3, 0), true, utc(2026, 11, 21, 3, 0)},
		{"overnight Sunday morning", night, utc(2026, 11, 22, 3, 0), false, utc(2026, 11, 23, 22, 0)},
		{"holiday", Calendar{Week: std.Week, Holidays: []Holiday{{Date: "2020-04-06"}}}, utc(2020, 4, 4, 12, 0), false, utc(2020, 4, 7, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustCompileCalendar(tt.cal)
			if got := s.IsOpen(tt.at); got != tt.open {
				t.Errorf("IsOpen(%v) = %v, want %v", tt.at, got, tt.open)
			}
			if got := mustNext(s, tt.at); !got.Equal(tt.next) {
				t.Errorf("NextOpen(%v) = %v, want %v", tt.at, got, tt.next)
			}
		})
	}
}

func TestOutOfRange(t *testing.T) {
	s := MustCompileCalendar(std)
	early := time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	late := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	if s.IsOpen(early) || s.IsOpen(late) {
		t.Error("IsOpen outside the supported range = true, want false")
	}
	tests := []struct {
		name string
		call func() (any, error)
	}{
		{"WorkingTime from before 1950", func() (any, error) { return s.WorkingTime(early, utc(1950, 1, 2, 0, 0)) }},
		{"WorkingTime to after 2200", func() (any, error) { return s.WorkingTime(utc(2026, 1, 1, 0, 0), late) }},
		{"WorkingTime one ns after the end", func() (any, error) { return s.WorkingTime(utc(2026, 1, 1, 0, 0), maxInstant.Add(1)) }},
		{"Deadline from before 1950", func() (any, error) { return s.Deadline(minInstant.Add(-1), time.Hour) }},
		// 2199-12-01 to 2200-01-01 holds 22 weekdays, 176h < 100000h.
		{"Deadline beyond 2200", func() (any, error) { return s.Deadline(utc(2199, 12, 1, 0, 0), 100000*time.Hour) }},
		{"Deadline before 1950", func() (any, error) { return s.Deadline(utc(1950, 2, 1, 0, 0), -100000*time.Hour) }},
		{"Deadline max duration", func() (any, error) { return s.Deadline(utc(2026, 1, 1, 0, 0), time.Duration(1<<63-1)) }},
		{"Deadline min duration", func() (any, error) { return s.Deadline(utc(2026, 1, 1, 0, 0), time.Duration(-1<<63)) }},
		{"NextOpen after 2200", func() (any, error) { return s.NextOpen(late) }},
		// 2200-01-01 00:00 is the range's end: the calendar never opens
		// again (2199-12-31 is a Tuesday but its hours are over).
		{"NextOpen at the end", func() (any, error) { return s.NextOpen(utc(2199, 12, 31, 17, 0)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call()
			if !errors.Is(err, ErrOutOfRange) {
				t.Errorf("got %v, %v; want an error wrapping ErrOutOfRange", got, err)
			}
		})
	}
	// The range's ends themselves are valid instants.
	if w, err := s.WorkingTime(minInstant, maxInstant); err != nil || w <= 0 {
		t.Errorf("WorkingTime(min, max) = %v, %v", w, err)
	}
}

// TestRegressionDeadlineNearTheEnd: on a 24/7 UTC calendar,
// Deadline(2199-12-28T20:00Z, 53h) returned 2200-01-01T00:00Z, the
// range's end, because the last dates of the range were left out of the
// search. 20:00 + 53h = 4h on the 28th + 24h on the 29th + 24h on the
// 30th + 1h = 2199-12-31T01:00Z.
func TestRegressionDeadlineNearTheEnd(t *testing.T) {
	s := MustCompileCalendar(Calendar{Week: everyDay("00:00-24:00")})
	from := utc(2199, 12, 28, 20, 0)
	got, err := s.Deadline(from, 53*time.Hour)
	if err != nil || !got.Equal(utc(2199, 12, 31, 1, 0)) {
		t.Errorf("Deadline = %v, %v; want 2199-12-31T01:00Z", got, err)
	}
	// Exactly to the end: 3h28m... from 2199-12-28T20:00 to 2200-01-01
	// is 4 + 24 × 3 = 76h, the last valid deadline.
	if got, err := s.Deadline(from, 76*time.Hour); err != nil || !got.Equal(maxInstant) {
		t.Errorf("Deadline(76h) = %v, %v; want the range's end", got, err)
	}
	if got, err := s.Deadline(from, 76*time.Hour+1); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Deadline(76h+1ns) = %v, %v; want ErrOutOfRange", got, err)
	}
}

// America/Goose_Bay set its clocks back at 00:01 (2006-10-29 00:01 ADT,
// 03:01 UTC, became 2006-10-28 23:01 AST): for an hour, instants carry
// the date of the day before although Oct 29 has already begun. On a
// 24/7 calendar, Oct 29 opens at its first midnight (03:00 UTC). An
// instant in the repeated hour, 03:30 UTC (23:30 AST on Oct 28), must not
// count Oct 29 from 03:00 UTC as wholly after it.
func TestRegressionDateGoesBackAcrossMidnight(t *testing.T) {
	s := MustCompileCalendar(Calendar{Zone: "America/Goose_Bay", Week: everyDay("00:00-24:00")})
	f := utc(2006, 10, 29, 3, 30)
	for _, d := range []time.Duration{time.Hour, 72 * time.Hour, 30 * 24 * time.Hour} {
		// Open all the time: working time is elapsed time.
		if got := mustWT(s, f, f.Add(d)); got != d {
			t.Errorf("WorkingTime(f, f+%v) = %v, want %v", d, got, d)
		}
		if got := mustWT(s, f.Add(-d), f); got != d {
			t.Errorf("WorkingTime(f-%v, f) = %v, want %v", d, got, d)
		}
		if got := mustDL(s, f, d); !got.Equal(f.Add(d)) {
			t.Errorf("Deadline(f, %v) = %v, want %v", d, got, f.Add(d))
		}
		if got := mustDL(s, f, -d); !got.Equal(f.Add(-d)) {
			t.Errorf("Deadline(f, -%v) = %v, want %v", d, got, f.Add(-d))
		}
	}
	if !s.IsOpen(f) {
		t.Error("IsOpen in the repeated hour = false")
	}
}

// mustWT, mustDL and mustNext call the Schedule methods on instants the
// tests know are in range; an error there is a bug, and panics.
func mustWT(s *Schedule, from, to time.Time) time.Duration {
	w, err := s.WorkingTime(from, to)
	if err != nil {
		panic(err)
	}
	return w
}

func mustDL(s *Schedule, from time.Time, d time.Duration) time.Time {
	t, err := s.Deadline(from, d)
	if err != nil {
		panic(err)
	}
	return t
}

func mustNext(s *Schedule, t time.Time) time.Time {
	n, err := s.NextOpen(t)
	if err != nil {
		panic(err)
	}
	return n
}
