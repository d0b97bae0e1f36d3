package period

import (
	"testing"
	"time"
)

func TestOfAndLabel(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	tests := []struct {
		name  string
		u     Unit
		t     time.Time
		loc   *time.Location
		label string
		start string // first day
	}{
		// 2026-03-04 is a Wednesday; its ISO week (W10) starts Monday 03-02.
		{"day", Day, time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC), nil, "2026-03-04", "2026-03-04"},
		{"week", Week, time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC), nil, "2026-W10", "2026-03-02"},
		// A Sunday belongs to the week that began six days before.
		{"week on sunday", Week, time.Date(2026, 3, 8, 23, 0, 0, 0, time.UTC), nil, "2026-W10", "2026-03-02"},
		// 2027-01-01 is a Friday: ISO week 2026-W53, which began Monday 2026-12-28.
		{"iso week across new year", Week, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), nil, "2026-W53", "2026-12-28"},
		// 2024-12-30 is a Monday in ISO week 2025-W01.
		{"iso week of next year", Week, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), nil, "2025-W01", "2024-12-30"},
		{"month", Month, time.Date(2026, 3, 31, 23, 59, 0, 0, time.UTC), nil, "2026-03", "2026-03-01"},
		{"quarter", Quarter, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), nil, "2026-Q2", "2026-04-01"},
		{"year", Year, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), nil, "2026", "2026-01-01"},
		// 23:30 UTC on March 31 is already April 1 in Paris (UTC+2 in summer).
		{"zone moves the month", Month, time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), paris, "2026-04", "2026-04-01"},
		// Before 1970 the ordinals are negative; the arithmetic still holds.
		{"before the epoch", Week, time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), nil, "1970-W01", "1969-12-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Of(tt.u, tt.t, tt.loc)
			if got := Label(tt.u, p); got != tt.label {
				t.Errorf("Label = %q; want %q", got, tt.label)
			}
			y, m, d := FirstDay(tt.u, p)
			if got := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); got != tt.start {
				t.Errorf("FirstDay = %s; want %s", got, tt.start)
			}
			// The start of the period is at or before t, and the next
			// period starts after it.
			loc := tt.loc
			if loc == nil {
				loc = time.UTC
			}
			if s := Start(tt.u, p, loc); s.After(tt.t) {
				t.Errorf("Start %v is after %v", s, tt.t)
			}
			if s := Start(tt.u, p+1, loc); tt.u == Day || tt.u == Month || tt.u == Quarter || tt.u == Year {
				if !s.After(tt.t) {
					t.Errorf("next period's Start %v is not after %v", s, tt.t)
				}
			}
		})
	}
}

func TestOrdinalsAreConsecutive(t *testing.T) {
	// Walking day by day over 1999-2031 (leap years, century rule for
	// 2000), a day's ordinal grows by one, and a week's by 7 exactly on
	// Mondays; months and quarters change exactly on their first days.
	d := time.Date(1999, 1, 1, 12, 0, 0, 0, time.UTC)
	prev := map[Unit]int64{}
	for u := Day; u <= Year; u++ {
		prev[u] = Of(u, d, nil)
	}
	for range 365 * 33 {
		d = d.AddDate(0, 0, 1)
		for u := Day; u <= Year; u++ {
			p := Of(u, d, nil)
			var want int64
			switch u {
			case Day:
				want = prev[u] + 1
			case Week:
				want = prev[u]
				if d.Weekday() == time.Monday {
					want += 7
				}
			case Month:
				want = prev[u]
				if d.Day() == 1 {
					want++
				}
			case Quarter:
				want = prev[u]
				if d.Day() == 1 && (d.Month()-1)%3 == 0 {
					want++
				}
			case Year:
				want = int64(d.Year())
			}
			if p != want {
				t.Fatalf("%v unit %d: ordinal %d; want %d", d, u, p, want)
			}
			prev[u] = p
		}
	}
}

func TestNext(t *testing.T) {
	// The period after the one holding 2026-12-28 (a Monday):
	// the next day, the week of Monday 2027-01-04, 2027-01, 2027-Q1, 2027.
	d := time.Date(2026, 12, 28, 12, 0, 0, 0, time.UTC)
	for u, want := range map[Unit]string{Day: "2026-12-29", Week: "2027-W01", Month: "2027-01", Quarter: "2027-Q1", Year: "2027"} {
		if got := Label(u, Next(u, Of(u, d, nil))); got != want {
			t.Errorf("unit %d: Next is %s; want %s", u, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for name, want := range map[string]Unit{"day": Day, "week": Week, "month": Month, "quarter": Quarter, "year": Year} {
		if u, ok := Parse(name); !ok || u != want {
			t.Errorf("Parse(%q) = %v, %v", name, u, ok)
		}
	}
	if _, ok := Parse("fortnight"); ok {
		t.Error("Parse accepted an unknown unit")
	}
}

func TestDaysFromCivil(t *testing.T) {
	// daysFromCivil agrees with the time package on every day of 1900..2100.
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2100; d = d.AddDate(0, 0, 1) {
		if got, want := daysFromCivil(d.Date()), d.Unix()/86400; got != want {
			t.Fatalf("%s: got %d, want %d", d, got, want)
		}
	}
}
