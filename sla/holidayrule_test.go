package sla

import (
	"strings"
	"testing"
	"time"
)

func TestHolidayRuleDates(t *testing.T) {
	tests := []struct {
		name string
		rule HolidayRule
		year int
		want string // "" when the rule does not apply that year
	}{
		// Western Easter Sundays, from published tables.
		{"easter 2024", HolidayRule{Easter: true}, 2024, "2024-03-31"},
		{"easter 2025", HolidayRule{Easter: true}, 2025, "2025-04-20"},
		{"easter 2000", HolidayRule{Easter: true}, 2000, "2000-04-23"},
		{"easter 2008, early", HolidayRule{Easter: true}, 2008, "2008-03-23"},
		{"easter 2038, the latest possible", HolidayRule{Easter: true}, 2038, "2038-04-25"},
		{"easter 1961", HolidayRule{Easter: true}, 1961, "1961-04-02"},
		// Easter 2026 is 5 April: Good Friday two days before, Whit Monday
		// 50 days after (2025: 20 April + 50 = 9 June).
		{"good friday 2026", HolidayRule{Easter: true, Offset: -2}, 2026, "2026-04-03"},
		{"whit monday 2025", HolidayRule{Easter: true, Offset: 50}, 2025, "2025-06-09"},
		// US Thanksgiving, the fourth Thursday of November: 1 Nov 2025 is a
		// Saturday, so Thursdays are 6, 13, 20, 27.
		{"thanksgiving 2025", HolidayRule{Month: 11, Weekday: "thursday", Nth: 4}, 2025, "2025-11-27"},
		{"thanksgiving 2026", HolidayRule{Month: 11, Weekday: "thursday", Nth: 4}, 2026, "2026-11-26"},
		// Memorial Day, the last Monday of May: 31 May 2025 is a Saturday.
		{"memorial day 2025", HolidayRule{Month: 5, Weekday: "monday", Nth: -1}, 2025, "2025-05-26"},
		{"memorial day 2026", HolidayRule{Month: 5, Weekday: "monday", Nth: -1}, 2026, "2026-05-25"},
		// UK early May bank holiday: the first Monday of May.
		{"early may 2025", HolidayRule{Month: 5, Weekday: "monday", Nth: 1}, 2025, "2025-05-05"},
		// 25 Dec 2021 is a Saturday, 2022 a Sunday.
		{"christmas, nearest, saturday", HolidayRule{Month: 12, Day: 25, Observed: "nearest"}, 2021, "2021-12-24"},
		{"christmas, nearest, sunday", HolidayRule{Month: 12, Day: 25, Observed: "nearest"}, 2022, "2022-12-26"},
		{"christmas, as it falls", HolidayRule{Month: 12, Day: 25}, 2021, "2021-12-25"},
		// 1 Jan 2022 is a Saturday, 2023 a Sunday, 2024 a Monday.
		{"new year, monday, saturday", HolidayRule{Month: 1, Day: 1, Observed: "monday"}, 2022, "2022-01-03"},
		{"new year, monday, sunday", HolidayRule{Month: 1, Day: 1, Observed: "monday"}, 2023, "2023-01-02"},
		{"new year, monday, weekday", HolidayRule{Month: 1, Day: 1, Observed: "monday"}, 2024, "2024-01-01"},
		{"before from", HolidayRule{Month: 6, Day: 19, From: 2021}, 2020, ""},
		{"after to", HolidayRule{Month: 6, Day: 19, To: 2020}, 2021, ""},
		{"within", HolidayRule{Month: 6, Day: 19, From: 2021, To: 2021}, 2021, "2021-06-19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if errs := tt.rule.validate("r"); len(errs) > 0 {
				t.Fatalf("invalid: %v", errs)
			}
			d, ok := tt.rule.Date(tt.year)
			got := ""
			if ok {
				got = d.Format(time.DateOnly)
			}
			if got != tt.want {
				t.Errorf("Date(%d) = %q, want %q", tt.year, got, tt.want)
			}
		})
	}
}

func TestHolidayRuleRefusals(t *testing.T) {
	tests := []struct {
		rule HolidayRule
		want string
	}{
		{HolidayRule{}, "give exactly one of"},
		{HolidayRule{Month: 1, Day: 1, Easter: true}, "give exactly one of"},
		{HolidayRule{Month: 13, Day: 1}, "r.month: 13 is not a month"},
		{HolidayRule{Month: 4, Day: 31}, "r.day: 31 is not a day of month 4"},
		{HolidayRule{Month: 2, Day: 29}, "r.day: 29 February is not there every year"},
		{HolidayRule{Month: 11, Weekday: "thursdy", Nth: 4}, `r.weekday: "thursdy" is not a weekday`},
		{HolidayRule{Month: 11, Weekday: "thursday", Nth: 5}, "r.nth: 5: use 1 to 4"},
		{HolidayRule{Month: 11, Weekday: "thursday"}, "r.nth: 0: use 1 to 4"},
		{HolidayRule{Easter: true, Month: 4}, "r.month: an Easter rule has no month"},
		{HolidayRule{Easter: true, Offset: 200}, "r.offset: 200 is more than 100 days"},
		{HolidayRule{Month: 1, Day: 1, Offset: 1}, "r.offset: offset applies to Easter rules only"},
		{HolidayRule{Month: 1, Day: 1, Observed: "friday"}, `r.observed: "friday"`},
		{HolidayRule{Month: 1, Day: 1, From: 1900}, "r.from: 1900 is outside the supported years"},
		{HolidayRule{Month: 1, Day: 1, From: 2030, To: 2020}, "r: from 2030 is after to 2020"},
	}
	for _, tt := range tests {
		errs := tt.rule.validate("r")
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		if got := strings.Join(msgs, "; "); !strings.Contains(got, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.rule, got, tt.want)
		}
	}
}

// TestHolidayRulesInTheCalendar: a rule closes its date in every year,
// an override of the same date wins, and a bad rule is a Validate error
// with its path.
func TestHolidayRulesInTheCalendar(t *testing.T) {
	nine := []string{"09:00-17:00"}
	c := Calendar{
		Week: Week{Monday: nine, Tuesday: nine, Wednesday: nine, Thursday: nine, Friday: nine},
		HolidayRules: []HolidayRule{
			{Name: "Thanksgiving", Month: 11, Weekday: "thursday", Nth: 4},
			{Name: "Christmas", Month: 12, Day: 25, Observed: "nearest"},
		},
		Overrides: []Override{{Date: "2025-12-25", Hours: []string{"10:00-12:00"}}},
	}
	s, err := CompileCalendar(c)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d string, h int) time.Time {
		t0, _ := time.Parse(time.DateOnly, d)
		return t0.Add(time.Duration(h) * time.Hour)
	}
	tests := []struct {
		from, to time.Time
		want     time.Duration
	}{
		// Wed 26 to Fri 28 Nov 2025: Thursday 27 is Thanksgiving, so
		// Wednesday and Friday, 8 h each.
		{at("2025-11-26", 0), at("2025-11-29", 0), 16 * time.Hour},
		// 2031: 1 Nov is a Saturday, so Thanksgiving is 27 Nov again; the
		// rule needs no list of years.
		{at("2031-11-26", 0), at("2031-11-29", 0), 16 * time.Hour},
		// Thursday 25 Dec 2025 has an override, 10:00-12:00: 2 h.
		{at("2025-12-25", 0), at("2025-12-26", 0), 2 * time.Hour},
		// Friday 25 Dec 2026: closed.
		{at("2026-12-25", 0), at("2026-12-26", 0), 0},
		// 25 Dec 2027 is a Saturday, observed on Friday 24 Dec: closed.
		{at("2027-12-24", 0), at("2027-12-25", 0), 0},
	}
	for _, tt := range tests {
		got, err := s.WorkingTime(tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("WorkingTime(%s, %s) = %v, %v; want %v", tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), got, err, tt.want)
		}
	}
	c.HolidayRules = append(c.HolidayRules, HolidayRule{Month: 2, Day: 30})
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "holiday_rules[2].day: 30 is not a day of month 2") {
		t.Errorf("Validate = %v", err)
	}
}
