package sla

import (
	"fmt"
	"testing"
	"time"
)

// benchCalendar is a French office: split shifts Monday to Friday in
// Europe/Paris, six fixed public holidays a year for 2026-2040 and a half
// day every Christmas Eve.
func benchCalendar() Calendar {
	c := Calendar{Zone: "Europe/Paris", Week: weekdays("09:00-12:30", "13:30-18:00")}
	for y := 2026; y <= 2040; y++ {
		for _, md := range []string{"01-01", "05-01", "07-14", "08-15", "11-11", "12-25"} {
			c.Holidays = append(c.Holidays, Holiday{Date: fmt.Sprintf("%d-%s", y, md)})
		}
		c.Overrides = append(c.Overrides, Override{Date: fmt.Sprintf("%d-12-24", y), Hours: []string{"09:00-12:00"}})
	}
	return c
}

var benchSpans = []struct {
	name string
	span time.Duration // elapsed span for WorkingTime
	work time.Duration // working time for Deadline, about the same span
}{
	{"1h", time.Hour, time.Hour},
	{"1d", 24 * time.Hour, 8 * time.Hour},
	{"30d", 30 * 24 * time.Hour, 30 * 5 / 7 * 8 * time.Hour},
	{"1y", 365 * 24 * time.Hour, 250 * 8 * time.Hour},
	{"10y", 3652 * 24 * time.Hour, 2500 * 8 * time.Hour},
}

var sinkDur time.Duration
var sinkTime time.Time

// BenchmarkWorkingTime compares the closed form with the minute-stepping
// baseline (naiveMinuteWorking) for spans of 1 hour to 10 years. The
// baseline for long spans takes seconds per call: run it with a small
// -benchtime, for example -benchtime=3x.
func BenchmarkWorkingTime(b *testing.B) {
	c := benchCalendar()
	s := MustCompileCalendar(c)
	n := newNaiveCal(c, s.Location())
	from := time.Date(2027, 3, 3, 10, 17, 0, 0, s.Location())
	for _, sp := range benchSpans {
		to := from.Add(sp.span)
		b.Run("span="+sp.name+"/closed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDur = mustWT(s, from, to)
			}
		})
		b.Run("span="+sp.name+"/minute", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDur = naiveMinuteWorking(n, from, to)
			}
		})
	}
}

// naiveMinuteDeadline is the minute-stepping baseline for Deadline:
// it walks forward a minute at a time until d of open minutes elapsed.
func naiveMinuteDeadline(n *naiveCal, from time.Time, d time.Duration) time.Time {
	t := from
	for d > 0 {
		if n.open(t) {
			d -= time.Minute
		}
		t = t.Add(time.Minute)
	}
	return t
}

// BenchmarkDeadline compares Deadline with the minute-stepping baseline
// for working durations spanning 1 hour to 10 years.
func BenchmarkDeadline(b *testing.B) {
	c := benchCalendar()
	s := MustCompileCalendar(c)
	n := newNaiveCal(c, s.Location())
	from := time.Date(2027, 3, 3, 10, 17, 0, 0, s.Location())
	for _, sp := range benchSpans {
		b.Run("span="+sp.name+"/closed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = mustDL(s, from, sp.work)
			}
		})
		b.Run("span="+sp.name+"/minute", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTime = naiveMinuteDeadline(n, from, sp.work)
			}
		})
	}
}

func BenchmarkCompileCalendar(b *testing.B) {
	c := benchCalendar()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompileCalendar(c); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchBaselinesAgree(t *testing.T) {
	// The baselines measure the same thing: on minute-aligned inputs away
	// from offset changes they agree with the closed form.
	c := benchCalendar()
	s := MustCompileCalendar(c)
	from := time.Date(2027, 4, 5, 10, 17, 0, 0, s.Location())
	for _, d := range []time.Duration{time.Hour, 8 * time.Hour, 100 * time.Hour} {
		if got, want := mustDL(s, from, d), naiveMinuteDeadline(newNaiveCal(c, s.Location()), from, d); !got.Equal(want) {
			t.Errorf("Deadline(%v) = %v, minute stepping %v", d, got, want)
		}
	}
}
