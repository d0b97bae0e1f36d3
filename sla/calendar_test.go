package sla

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// weekdays returns a Week with the same shifts Monday to Friday.
func weekdays(shifts ...string) Week {
	return Week{Monday: shifts, Tuesday: shifts, Wednesday: shifts, Thursday: shifts, Friday: shifts}
}

// everyDay returns a Week with the same shifts on all seven days.
func everyDay(shifts ...string) Week {
	w := weekdays(shifts...)
	w.Saturday, w.Sunday = shifts, shifts
	return w
}

func TestCalendarValidate(t *testing.T) {
	tests := []struct {
		name string
		cal  Calendar
		want []string // substrings, each must appear in the error
	}{
		{"ok", Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-12:30", "13:30-18:00")}, nil},
		{"ok overnight", Calendar{Week: weekdays("22:00-06:00")}, nil},
		{"ok to midnight", Calendar{Week: weekdays("18:00-00:00")}, nil},
		{"zero value", Calendar{}, []string{"week: sla: calendar has no working time"}},
		{"unknown zone", Calendar{Zone: "Mars/Olympus", Week: weekdays("09:00-17:00")}, []string{`zone: unknown zone "Mars/Olympus"`}},
		{"local zone", Calendar{Zone: "Local", Week: weekdays("09:00-17:00")}, []string{`zone: zone "Local" depends on the host`}},
		{"every problem at once", Calendar{
			Week: Week{
				Monday:  []string{"09:00-12:00", "11:00-13:00"},
				Tuesday: []string{"9:00-17:00", "10:00-25:00", "08:00-08:00", "24:00-03:00", "0900"},
				Sunday:  []string{"20:00-10:00"},
			},
			Holidays:  []Holiday{{Date: "2026-12-25"}, {Date: "2026-13-01"}, {Date: "1900-01-01"}},
			Overrides: []Override{{Date: "2026-12-25", Hours: []string{"09:00-12:00"}}},
		}, []string{
			"week.monday: shifts 09:00-12:00 and 11:00-13:00 overlap",
			`week.tuesday[0]: shift "9:00-17:00": start: bad time "9:00"`,
			`week.tuesday[1]: shift "10:00-25:00": end: time "25:00" out of range`,
			`week.tuesday[2]: shift "08:00-08:00": empty shift`,
			`week.tuesday[3]: shift "24:00-03:00": a shift cannot start at 24:00`,
			`week.tuesday[4]: shift "0900": want "HH:MM-HH:MM"`,
			`holidays[1].date: bad date "2026-13-01"`,
			"holidays[2].date: 1900-01-01 is outside the supported range",
			"overrides[0].date: 2026-12-25 is already given by holidays[0]",
		}},
		{"overnight into next day", Calendar{Week: Week{Sunday: []string{"20:00-10:00"}, Monday: []string{"09:00-17:00"}}},
			[]string{"week.monday: a shift overlaps the overnight shift of sunday"}},
		{"override against overnight", Calendar{
			Week:      weekdays("22:00-06:00"),
			Overrides: []Override{{Date: "2026-11-24", Hours: []string{"05:00-07:00"}}, {Date: "2026-11-26", Hours: []string{"23:00-03:00"}}, {Date: "2026-11-27", Hours: []string{"01:00-02:00"}}},
		}, []string{
			"overrides[0]: a shift overlaps the overnight shift of the day before",
			"overrides[1]: an overnight shift overlaps the hours of the day after",
			"overrides[2]: a shift overlaps the overnight shift of the day before",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cal.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				if _, err := CompileCalendar(tt.cal); err != nil {
					t.Fatalf("CompileCalendar() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() error lacks %q; got:\n%v", w, err)
				}
			}
			if _, cerr := CompileCalendar(tt.cal); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("CompileCalendar() error = %v, want the same as Validate", cerr)
			}
		})
	}
}

func TestNoWorkingTimeIsSentinel(t *testing.T) {
	for _, c := range []Calendar{
		{},
		{Zone: "Europe/Paris", Overrides: []Override{{Date: "2026-12-24", Hours: []string{"09:00-12:00"}}}},
	} {
		_, err := CompileCalendar(c)
		if !errors.Is(err, ErrNoWorkingTime) {
			t.Errorf("CompileCalendar(%+v) = %v, want ErrNoWorkingTime", c, err)
		}
	}
}

func TestMustCompileCalendarPanicsWithInput(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "Mars/Olympus") {
			t.Errorf("panic = %v, want it to quote the zone", r)
		}
	}()
	MustCompileCalendar(Calendar{Zone: "Mars/Olympus"})
}

func TestCalendarJSONRoundTrip(t *testing.T) {
	c := Calendar{
		Zone:      "America/Los_Angeles",
		Week:      weekdays("09:00-12:30", "13:30-18:00"),
		Holidays:  []Holiday{{Date: "2026-07-03", Name: "Independence Day (observed)"}},
		Overrides: []Override{{Date: "2026-12-24", Hours: []string{"09:00-12:00"}, Name: "Christmas Eve"}},
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Calendar
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	const want = `{"zone":"America/Los_Angeles","week":{"monday":["09:00-12:30","13:30-18:00"]`
	if !strings.HasPrefix(string(b), want) {
		t.Errorf("JSON = %s, want prefix %s", b, want)
	}
}
