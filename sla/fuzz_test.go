package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// FuzzCompileCalendar feeds arbitrary JSON to the calendar parser and,
// when it compiles, checks that the arithmetic neither panics nor loops
// and keeps its inverse property.
func FuzzCompileCalendar(f *testing.F) {
	for _, seed := range []string{
		`{"zone":"Europe/Paris","week":{"monday":["09:00-12:30","13:30-18:00"]}}`,
		`{"zone":"America/Los_Angeles","week":{"sunday":["02:30-04:00"],"saturday":["22:00-06:00"]},"holidays":[{"date":"2026-12-25"}]}`,
		`{"week":{"friday":["18:00-00:00"]},"overrides":[{"date":"2026-12-24","hours":["09:00-12:00"]}]}`,
		`{"zone":"Pacific/Apia","week":{"friday":["00:00-24:00"]}}`,
		`{"week":{"monday":["24:00-25:00","aa:bb-cc:dd","-"]}}`,
		`{}`,
	} {
		f.Add([]byte(seed), int64(1767225600), int64(36000))
	}
	f.Fuzz(func(t *testing.T, data []byte, from, d int64) {
		var c Calendar
		if json.Unmarshal(data, &c) != nil {
			return
		}
		s, err := CompileCalendar(c)
		if (err == nil) != (c.Validate() == nil) {
			t.Fatalf("CompileCalendar and Validate disagree: %v", err)
		}
		if err != nil {
			return
		}
		checkArithmetic(t, s, time.Unix(from, 0), time.Duration(d)*time.Second)
	})
}

// FuzzArithmetic drives the arithmetic of a few fixed calendars with
// arbitrary instants and durations.
func FuzzArithmetic(f *testing.F) {
	cals := []*Schedule{
		MustCompileCalendar(Calendar{Week: weekdays("09:00-17:00")}),
		MustCompileCalendar(Calendar{Zone: "Europe/Paris", Week: Week{Sunday: []string{"02:30-04:00"}, Saturday: []string{"22:00-01:00"}, Monday: []string{"09:00-12:00", "13:00-18:00"}}}),
		MustCompileCalendar(Calendar{Zone: "America/Los_Angeles", Week: everyDay("00:00-24:00"), Holidays: []Holiday{{Date: "2026-11-26"}}}),
		MustCompileCalendar(Calendar{Zone: "Australia/Lord_Howe", Week: Week{Wednesday: []string{"01:45-02:15"}}}),
	}
	f.Add(uint8(0), int64(1767225600), int64(1767225600+86400*3), int64(3600))
	f.Add(uint8(1), int64(1774745000), int64(1761350400), int64(-7200))
	f.Add(uint8(2), int64(-1<<62), int64(1<<62), int64(1<<62))
	f.Add(uint8(3), int64(0), int64(1), int64(-1<<62))
	f.Fuzz(func(t *testing.T, which uint8, a, b, d int64) {
		s := cals[int(which)%len(cals)]
		ta, tb := time.Unix(a, 0), time.Unix(b, 0)
		checkArithmetic(t, s, ta, time.Duration(d))
		w, err1 := s.WorkingTime(ta, tb)
		r, err2 := s.WorkingTime(tb, ta)
		if (err1 == nil) != (err2 == nil) || w != -r {
			t.Fatalf("W(a,b) = %v, %v; W(b,a) = %v, %v", w, err1, r, err2)
		}
	})
}

func checkArithmetic(t *testing.T, s *Schedule, from time.Time, d time.Duration) {
	t.Helper()
	inRange := !from.Before(minInstant) && !from.After(maxInstant)
	got, err := s.Deadline(from, d)
	if err != nil {
		if !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("Deadline(%v, %v): %v, not ErrOutOfRange", from, d, err)
		}
		if inRange && d != -1<<63 {
			// Out of range only when the range holds less than |d|.
			end := maxInstant
			if d < 0 {
				end = minInstant
			}
			if w, _ := s.WorkingTime(from, end); w.Abs() >= d.Abs() {
				t.Fatalf("Deadline(%v, %v): %v, but the range holds %v", from, d, err, w)
			}
		}
		return
	}
	if !inRange || got.Before(minInstant) || got.After(maxInstant) {
		t.Fatalf("Deadline(%v, %v) = %v: outside the range without an error", from, d, got)
	}
	_ = s.IsOpen(got)
	if n, err := s.NextOpen(from); err == nil && (n.Before(from) || !s.IsOpen(n)) {
		t.Fatalf("NextOpen(%v) = %v", from, n)
	}
	// Anywhere in the range, up to its ends, Deadline and WorkingTime are
	// inverses.
	if w, err := s.WorkingTime(from, got); err != nil || w != d {
		t.Fatalf("W(%v, Deadline(%v, %v) = %v) = %v, %v", from, from, d, got, w, err)
	}
}

// FuzzCompileAgreement feeds arbitrary JSON agreements (policies with
// segment expressions are untrusted input) to Compile and, when they
// compile, checks a lead and builds a report without panicking.
func FuzzCompileAgreement(f *testing.F) {
	for _, seed := range []string{
		`{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"r","kind":"response","within":"8h","warn_before":"2h"}]}`,
		`{"calendar":{"zone":"Europe/Paris","week":{"friday":["22:00-06:00"]}},"policies":[{"name":"a","kind":"attempts","within":"2d","attempts":3,"segment":"company.employees > 100"}]}`,
		`{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"v","kind":"volume","period":"week","target":3},{"name":"q","kind":"quality","period":"quarter","percent":"55.5"}]}`,
		`{"calendar":{"week":{"monday":["09:00-17:00"]}},"policies":[{"name":"c","kind":"acceptance","within":"1w","clock":"calendar","stage":"sal"}]}`,
		`{"policies":[{"kind":"nope","segment":"((("}]}`,
		`{"calendar":{"week":{"monday":["09:00-17:00"]},"closures":[{"date":"2026-11-23","from":"13:00"}]},"calendars":[{"name":"sg","owners":["rep-b"],"calendar":{"zone":"Asia/Singapore","week":{"monday":["09:00-18:00"]}}}],"policies":[{"name":"r","kind":"response","within":"8h","pause_in":["recycled"],"warn_at":"75"},{"name":"r","kind":"response","within":"4h","effective_from":"2026-11-24T00:00:00Z"},{"name":"n","kind":"next_response","within":"2h","inbound":["page_view"]},{"name":"p","kind":"periodic","within":"4h","during":["mql","sal"]}]}`,
	} {
		f.Add([]byte(seed))
	}
	leads := scenarioLeads()
	f.Fuzz(func(t *testing.T, data []byte) {
		// The strict loader accepts a subset of what Compile accepts,
		// and what it accepts round-trips with the same fingerprint.
		if pa, err := ParseAgreement(data); err == nil {
			pc, err := Compile(pa)
			if err != nil {
				t.Fatalf("ParseAgreement accepted what Compile refuses: %v", err)
			}
			b, err := json.Marshal(pa)
			if err != nil {
				t.Fatal(err)
			}
			again, err := ParseAgreement(b)
			if err != nil || MustCompile(again).Fingerprint() != pc.Fingerprint() {
				t.Fatalf("round trip of %s: %v", b, err)
			}
		}
		var a Agreement
		if json.Unmarshal(data, &a) != nil {
			return
		}
		ch, err := Compile(a)
		if err != nil {
			return
		}
		c := ch.NewCompliance(asOf)
		for i := range leads {
			_, _ = ch.Check(&leads[i], asOf)
			_ = c.Add(&leads[i])
		}
		if _, err := c.Report(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzComplianceState decodes arbitrary bytes as a Compliance state
// (seeded with a small state of the scenario leads and mutations of it;
// the 40 kB golden state is checked as a plain seed, not mutated, since
// minimizing inputs that large stalls the fuzzer). When decoding
// succeeds, the accumulator must Add a sample lead, Merge with a copy of
// itself and with a fresh accumulator, and Report without panicking,
// with non-negative counts and rates within [0, 1].
func FuzzComplianceState(f *testing.F) {
	leads := scenarioLeads()
	golden, err := os.ReadFile(goldenPath)
	if err != nil {
		f.Fatal(err)
	}
	a := agreement.clone()
	a.MaxBreaches = 2
	small := MustCompile(a).NewCompliance(asOf)
	for i := range leads {
		if err := small.Add(&leads[i]); err != nil {
			f.Fatal(err)
		}
	}
	seed, err := json.Marshal(small)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	for _, m := range []struct{ from, to string }{
		{`"met":2`, `"met":-2`},
		{`"leads":7`, `"leads":3`},
		{`"rep-a":{`, `"rep-a":null,"x":{`},
		{`"format":"leadkit.sla/1"`, `"format":"leadkit.sla/0"`},
		{`"max_breaches":2`, `"max_breaches":1`},
		{`"as_of":"2026-11-25T12:00:00Z"`, `"as_of":"0001-01-01T00:00:00Z"`},
		{`"2026-11-16":{"leads":2}`, `"2026-11-17":{"leads":2}`},
	} {
		mut := bytes.Replace(seed, []byte(m.from), []byte(m.to), 1)
		if bytes.Equal(mut, seed) {
			f.Fatalf("mutation %q does not apply to the seed %s", m.from, seed)
		}
		f.Add(mut)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	if testing.Short() || !strings.Contains(strings.Join(os.Args, " "), "-test.fuzz=") {
		f.Add(golden)
		followUp, err := os.ReadFile(followUpGoldenPath)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(followUp)
	}
	// A small state with every issue-14 feature: versions, a
	// next_response policy paused in nurture, a periodic policy and a
	// team calendar.
	fu := MustCompile(Agreement{Calendar: Calendar{Week: weekdays("09:00-17:00")}, MaxBreaches: 3,
		Calendars: []TeamCalendar{{Name: "sg", Owners: []string{"rep-b"}, Calendar: Calendar{Zone: "Asia/Singapore", Week: weekdays("09:00-18:00")}}},
		Policies: []Policy{
			{Name: "response", Kind: KindResponse, Within: hours(8)},
			{Name: "response", Kind: KindResponse, Within: hours(4), EffectiveFrom: utc(2026, 11, 20, 0, 0)},
			{Name: "follow-up", Kind: KindNextResponse, Within: hours(2), Inbound: []lead.ActivityType{lead.ActivityPageView}, PauseIn: []lead.Stage{lead.StageRecycled}},
			{Name: "contact", Kind: KindPeriodic, Within: hours(4), During: []lead.Stage{lead.StageMQL, lead.StageSAL}},
		}}).NewCompliance(asOf)
	for i := range leads {
		if err := fu.Add(&leads[i]); err != nil {
			f.Fatal(err)
		}
	}
	fuSeed, err := json.Marshal(fu)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fuSeed)
	for _, m := range []struct{ from, to string }{
		{`"calendar":"sg"`, `"calendar":"xx"`},
		{`"version":"2026-11-20T00:00:00Z"`, `"version":"2026-11-21T00:00:00Z"`},
		{`"effective_from":"2026-11-20T00:00:00Z"`, `"effective_from":"0001-01-01T00:00:00Z"`},
	} {
		mut := bytes.Replace(fuSeed, []byte(m.from), []byte(m.to), 1)
		if bytes.Equal(mut, fuSeed) {
			f.Fatalf("mutation %q does not apply to the seed %s", m.from, fuSeed)
		}
		f.Add(mut)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Compliance
		if json.Unmarshal(data, &c) != nil {
			return
		}
		// A decoded state judges a lead as its checker does.
		for i := range leads[:3] {
			got, err := c.AddResults(nil, &leads[i], nil)
			if err != nil || leads[i].CreatedAt.After(c.AsOf()) {
				continue
			}
			want, err := c.ch.Check(&leads[i], c.AsOf())
			if err != nil {
				t.Fatalf("AddResults accepted lead %s, Check refuses it: %v", leads[i].ID, err)
			}
			for k := range want {
				want[k].Trail = nil
			}
			if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
				t.Fatalf("lead %s: AddResults %+v, Check %+v", leads[i].ID, got, want)
			}
		}
		var cp Compliance
		b, err := json.Marshal(&c)
		if err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		}
		if err := json.Unmarshal(b, &cp); err != nil {
			t.Fatalf("an encoded state does not decode: %v", err)
		}
		_ = c.Merge(&cp)
		_ = c.Merge(c.ch.NewCompliance(c.AsOf()))
		r, err := c.Report()
		if err != nil {
			return // an overflow found by Report is an error, not a panic
		}
		check := func(name string, n Counts) {
			if n.Met < 0 || n.Breached < 0 || n.Pending < 0 || n.AtRisk < 0 || n.Time.Count < 0 {
				t.Fatalf("%s: negative count %+v", name, n)
			}
			if v, ok := n.Compliance.Float64(); ok && (v < 0 || v > 1) {
				t.Fatalf("%s: compliance %v", name, v)
			}
		}
		for _, p := range r.Policies {
			check(p.Name, p.Counts)
			for _, o := range p.Owners {
				check(p.Name+"/"+o.Owner, o.Counts)
			}
			for _, pe := range p.Periods {
				if v, ok := pe.Rate.Float64(); pe.Leads < 0 || (ok && (v < 0 || v > 1)) {
					t.Fatalf("%s: period %+v", p.Name, pe)
				}
			}
		}
		for _, tr := range r.Teams {
			check(string(tr.Team), tr.Counts)
		}
		if r.Leads < 0 || r.Skipped < 0 {
			t.Fatalf("leads %d, skipped %d", r.Leads, r.Skipped)
		}
	})
}
