package sample

import (
	"math/rand/v2"
	"testing"
	"time"
)

func sec(t time.Time) int64 { return t.Unix() }

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// 2025-01-01 is a Wednesday, 2025-01-03 a Friday, 2025-01-06 a Monday.
func TestAddWorking(t *testing.T) {
	for _, tc := range []struct {
		name string
		from time.Time
		w    time.Duration
		want time.Time
	}{
		// Friday 16:00 has one working hour left; the second is Monday 09:00-10:00.
		{"over the weekend", utc(2025, 1, 3, 16, 0), 2 * time.Hour, utc(2025, 1, 6, 10, 0)},
		// Saturday is not working time: zero working time later is Monday's start.
		{"zero from saturday", utc(2025, 1, 4, 12, 0), 0, utc(2025, 1, 6, 9, 0)},
		// Wednesday 08:00 starts at 09:00; 8 hours fill the day, and a
		// day's end counts as the next day's start.
		{"a full day", utc(2025, 1, 1, 8, 0), 8 * time.Hour, utc(2025, 1, 2, 9, 0)},
		// 40 working hours are five working days: the same time a week later.
		{"one week", utc(2025, 1, 6, 10, 0), 40 * time.Hour, utc(2025, 1, 13, 10, 0)},
		// Thu 15:00: 2h left (39 to go), Fri 8 (31), Mon 8 (23), Tue 8 (15),
		// Wed 8 (7), Thu 09:00 + 7h = 16:00.
		{"41 hours", utc(2025, 1, 2, 15, 0), 41 * time.Hour, utc(2025, 1, 9, 16, 0)},
		// 17:30 on a Tuesday is after hours: counting starts Wednesday 09:00.
		{"after hours", utc(2025, 1, 7, 17, 30), 30 * time.Minute, utc(2025, 1, 8, 9, 30)},
		// Before 1970, where Unix seconds are negative: 1969-12-31 was a Wednesday.
		{"before 1970", utc(1969, 12, 31, 16, 0), 2 * time.Hour, utc(1970, 1, 1, 10, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := unix(addWorking(sec(tc.from), int64(tc.w/time.Second)))
			if !got.Equal(tc.want) {
				t.Errorf("addWorking(%s, %s) = %s, want %s", tc.from, tc.w, got, tc.want)
			}
		})
	}
}

// slowAddWorking steps minute by minute through time.Time, with the
// calendar written out again from scratch: an independent oracle.
func slowAddWorking(from time.Time, minutes int) time.Time {
	working := func(t time.Time) bool {
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday && t.Hour() >= 9 && t.Hour() < 17
	}
	// skip moves t forward to the next working minute; outside working
	// time it steps whole hours once t is on the hour, only to save time.
	skip := func(t time.Time) time.Time {
		for !working(t) {
			if t.Equal(t.Truncate(time.Hour)) {
				t = t.Add(time.Hour)
			} else {
				t = t.Truncate(time.Minute).Add(time.Minute)
			}
		}
		return t
	}
	t := skip(from)
	for minutes > 0 {
		if working(t) {
			minutes--
		}
		t = t.Add(time.Minute)
	}
	return skip(t)
}

func TestAddWorkingMatchesMinuteSteps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := utc(2024, 12, 20, 0, 0)
	for i := range 300 {
		from := base.Add(time.Duration(r.IntN(60*24*40)) * time.Minute)
		m := r.IntN(60 * 100)
		want := slowAddWorking(from, m)
		got := unix(addWorking(sec(from), int64(m)*60))
		if !got.Equal(want) {
			t.Fatalf("case %d: addWorking(%s, %dm) = %s, want %s", i, from, m, got, want)
		}
	}
}
