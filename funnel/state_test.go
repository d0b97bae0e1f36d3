package funnel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/lead"
)

// goldenLeads are hand-made leads that reach every part of the state:
// two cohorts and two segments, every stage, an exit with an agreed and
// an unknown reason, a re-entry, findings of several kinds, a lead
// created after the as-of time and one that reached no stage.
func goldenLeads() []lead.Lead {
	email := lead.Source{Channel: lead.ChannelEmail}
	social := lead.Source{Channel: lead.ChannelSocial}
	ls := []lead.Lead{
		{ID: "a", CreatedAt: t0, Source: email, History: []lead.Transition{tr("lead", 0), tr("mql", 10), tr("sql", 30), tr("customer", 60)}},
		{ID: "b", CreatedAt: t0, Source: email, History: []lead.Transition{tr("lead", 0), tr("mql", 5), tr("disqualified", 8, "budget")}},
		{ID: "c", CreatedAt: t0, Source: social, History: []lead.Transition{tr("lead", 0), tr("mql", 3), tr("lead", 4), tr("mql", 6), tr("recycled", 7)}},
		{ID: "d", CreatedAt: t0.AddDate(0, 1, 0), Source: social, History: []lead.Transition{
			{To: "lead", At: t0.AddDate(0, 1, 0)}, {To: "disqualified", At: t0.AddDate(0, 1, 1), Reason: "rude"}, {To: "limbo", At: t0.AddDate(0, 1, 2)}}},
		{ID: "e", CreatedAt: t0.AddDate(0, 1, 0), Stage: "nowhere"},
		{ID: "f", CreatedAt: t0.AddDate(1, 0, 0), Stage: "lead"},
	}
	return ls
}

// goldenStates returns analyses of goldenLeads with the settings the
// golden files pin: with cohorts, a segment, a window, an as-of time and
// a small findings cap; and with the zero settings.
func goldenStates() []*Analysis {
	var out []*Analysis
	for _, o := range []opts{
		{Cohort: leadkit.Month, Zone: "Europe/Paris", Segment: "source.channel", Window: 30 * 24 * time.Hour, AsOf: t0.AddDate(0, 6, 0), MaxFindings: 2},
		{},
	} {
		an := MustCompile(o.def(testFunnel()))
		a := an.NewAnalysis(o.AsOf)
		for _, l := range goldenLeads() {
			if err := a.Add(&l); err != nil {
				panic(err)
			}
		}
		out = append(out, a)
	}
	return out
}

// TestGoldenState pins the state format: the encoded state of the golden
// analyses must equal testdata/state.golden.json (regenerate with
// -update after a deliberate format change, and bump StateFormat if old
// states no longer decode), and the golden file must decode into a zero
// value that reports like the analyses it came from.
func TestGoldenState(t *testing.T) {
	var got bytes.Buffer
	states := goldenStates()
	for _, a := range states {
		b, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got.Write(b)
		got.WriteByte('\n')
	}
	want := golden.Check(t, filepath.Join("testdata", "state.golden.json"), got.Bytes())
	dec := json.NewDecoder(bytes.NewReader(want))
	for i, a := range states {
		var d Analysis
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("golden state %d: %v", i, err)
		}
		if diff := cmp.Diff(report(t, a), report(t, &d)); diff != "" {
			t.Errorf("golden state %d reports differently (-live +decoded):\n%s", i, diff)
		}
	}
}

// TestGoldenReport checks the golden analysis's figures, worked out by
// hand from goldenLeads, with the month-by-channel settings (window 30
// days, as of July 1st 2024, Paris time, at most 2 findings kept).
func TestGoldenReport(t *testing.T) {
	r := report(t, goldenStates()[0])
	// f is created in 2025, after the as-of time: not yet created. e has
	// only an unknown stage: unstaged. a, b, c (January) and d
	// (February) are in the funnel.
	if r.Leads != 6 || r.NotYetCreated != 1 || r.Unstaged != 1 || r.Overall.Leads != 4 {
		t.Errorf("leads %d, not yet created %d, unstaged %d, in funnel %d; want 6, 1, 1, 4", r.Leads, r.NotYetCreated, r.Unstaged, r.Overall.Leads)
	}
	var got []string
	for _, c := range r.Cohorts {
		got = append(got, fmt.Sprintf("%s:%d", c.Key, c.Leads))
	}
	for _, s := range r.Segments {
		got = append(got, fmt.Sprintf("%s:%d", s.Key, s.Leads))
	}
	// January: a, b, c; February: d. email: a, b; social: c, d.
	if want := []string{"2024-01:3", "2024-02:1", "email:2", "social:2"}; !cmp.Equal(got, want) {
		t.Errorf("cohorts and segments %v, want %v", got, want)
	}
	// Reached: lead 4; mql a, b, c = 3; sql a = 1; customer a = 1.
	// Exits from mql: b disqualified (budget), c recycled (no reason);
	// from lead: d disqualified ("rude", not an agreed reason).
	// c re-entered lead and mql.
	st := summarize(r.Overall)
	if want := []int64{4, 3, 1, 1}; !cmp.Equal(st.Reached, want) {
		t.Errorf("reached %v, want %v", st.Reached, want)
	}
	if want := []int64{1, 1, 0, 0}; !cmp.Equal(st.Reentered, want) {
		t.Errorf("reentered %v, want %v", st.Reentered, want)
	}
	// Time lead→mql: a 10h, b 5h, c 3h: median 5h.
	if m := r.Overall.Stages[0].TimeToNext.Median; m == nil || m.Std() != 5*time.Hour {
		t.Errorf("lead→mql median %v, want 5h", m)
	}
	// Findings: d's unknown reason and unknown stage limbo, e's unknown
	// stage: 3 in all, the first 2 by lead id kept.
	if r.FindingCounts[FindingUnknownReason] != 1 || r.FindingCounts[FindingUnknownStage] != 2 || len(r.Findings) != 2 ||
		r.Findings[0].LeadID != "d" || r.Findings[1].LeadID != "d" {
		t.Errorf("findings %v %v", r.FindingCounts, r.Findings)
	}
}

// TestDecodeRefusals checks that a damaged or tampered state is refused
// at decode, and that the receiver is unchanged on error.
func TestDecodeRefusals(t *testing.T) {
	golden := goldenStates()[0]
	b, err := json.Marshal(golden)
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatal(err)
	}
	// edit returns the golden state with one change made by f.
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		f(m)
		out, _ := json.Marshal(m)
		return out
	}
	cell := func(m map[string]any, i int) map[string]any { return m["cells"].([]any)[i].(map[string]any) }
	stage := func(m map[string]any, c, s int) map[string]any {
		return cell(m, c)["stages"].([]any)[s].(map[string]any)
	}
	def := func(m map[string]any) map[string]any { return m["definition"].(map[string]any) }
	for _, tc := range []struct {
		name  string
		state []byte
		want  string
	}{
		{"not json", []byte(`{"format":`), "unexpected end of JSON input"},
		{"trailing data", append(append([]byte{}, b...), []byte(` {}`)...), "after top-level value"},
		{"unknown field", edit(func(m map[string]any) { m["colour"] = 1 }), `unknown field "colour"`},
		{"other format", edit(func(m map[string]any) { m["format"] = "leadkit.funnel/0" }), `format "leadkit.funnel/0"`},
		{"no format", []byte(`{}`), `field "format" missing`},
		{"no counts", edit(func(m map[string]any) { delete(m, "leads") }), `field "leads" missing`}, // a coder that drops fields
		{"invalid definition", edit(func(m map[string]any) { def(m)["cohort"] = "fortnight" }), `unknown period "fortnight"`},
		{"tampered definition", edit(func(m map[string]any) { def(m)["strict"] = true }), "does not match the definition's"},
		{"negative leads", edit(func(m map[string]any) { m["leads"] = -1 }), "negative count"},
		{"leads do not add up", edit(func(m map[string]any) { m["leads"] = 7 }), "leads 7, but"},
		{"negative reached", edit(func(m map[string]any) { stage(m, 0, 3)["reached"] = -1 }), "negative count"},
		{"reached grows", edit(func(m map[string]any) { stage(m, 0, 3)["reached"] = 2 }), "stages[3].reached 2 is more than"},
		{"empty cell", edit(func(m map[string]any) { stage(m, 2, 0)["reached"] = 0 }), "a cell holds at least one lead"},
		{"still in does not add up", edit(func(m map[string]any) { stage(m, 0, 3)["still_in"] = 2 }), "still in a stage or exited"},
		{"reentered too many", edit(func(m map[string]any) { stage(m, 0, 0)["reentered"] = 5 }), "reentered 5 is more than"},
		{"null cell", edit(func(m map[string]any) { m["cells"].([]any)[0] = nil }), `cohort "" is not a month label`},
		{"missing stage", edit(func(m map[string]any) {
			c := cell(m, 0)
			c["stages"] = c["stages"].([]any)[:3]
		}), "3 stages; the funnel has 4"},
		{"cohort not a month", edit(func(m map[string]any) { cell(m, 0)["cohort"] = "2024-1" }), `cohort "2024-1" is not a month label`},
		{"cohort a day", edit(func(m map[string]any) { cell(m, 0)["cohort"] = "2024-01-01" }), "is not a month label"},
		{"cohort after as-of", edit(func(m map[string]any) { cell(m, 2)["cohort"] = "2025-01" }), "starts after the as-of time"},
		{"cells out of order", edit(func(m map[string]any) {
			cs := m["cells"].([]any)
			cs[0], cs[1] = cs[1], cs[0]
		}), "out of order or repeated"},
		{"cell repeated", edit(func(m map[string]any) {
			cs := m["cells"].([]any)
			m["cells"] = append(cs, cs[len(cs)-1])
			m["leads"] = 7
		}), "out of order or repeated"},
		{"unknown exit", edit(func(m map[string]any) {
			stage(m, 0, 1)["exits"].([]any)[0].(map[string]any)["exit"] = "vanished"
		}), `"vanished" is not an exit of the funnel`},
		{"zero exit count", edit(func(m map[string]any) {
			stage(m, 0, 1)["exits"].([]any)[0].(map[string]any)["leads"] = 0
		}), "counts are positive"},
		{"histogram base", edit(func(m map[string]any) {
			stage(m, 0, 0)["time"] = map[string]any{"n": 200, "seconds": 1, "buckets": []any{[]any{5000, 200}}}
		}), "histogram"},
		{"too many timed", edit(func(m map[string]any) {
			stage(m, 0, 2)["time"] = map[string]any{"n": 2, "seconds": 2, "nanos": 0, "values": []any{1e9}, "counts": []any{2}}
		}), "2 durations, but 1 leads reached the next stage"},
		{"last stage timed", edit(func(m map[string]any) {
			stage(m, 0, 3)["time"] = map[string]any{"n": 1, "seconds": 1, "nanos": 0, "values": []any{1e9}, "counts": []any{1}}
		}), "the last stage has no next stage"},
		{"unknown finding kind", edit(func(m map[string]any) {
			m["finding_counts"].(map[string]any)["weird"] = 1
		}), `unknown kind "weird"`},
		{"null finding count", edit(func(m map[string]any) {
			m["finding_counts"].(map[string]any)["zero_time"] = nil
		}), "counts are positive"},
		{"findings over the count", edit(func(m map[string]any) {
			m["finding_counts"].(map[string]any)["unknown_exit_reason"] = nil
			delete(m["finding_counts"].(map[string]any), "unknown_exit_reason")
		}), `more of kind "unknown_exit_reason"`},
		{"findings over the cap", edit(func(m map[string]any) {
			fs := m["findings"].([]any)
			m["findings"] = append(fs, fs[len(fs)-1])
		}), "3 findings; the definition keeps at most 2"},
		{"findings out of order", edit(func(m map[string]any) {
			fs := m["findings"].([]any)
			fs[0], fs[1] = fs[1], fs[0]
		}), "out of order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := goldenStates()[1]
			before, _ := json.Marshal(a)
			err := json.Unmarshal(tc.state, a)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Unmarshal = %v, want an error containing %q", err, tc.want)
			}
			if after, _ := json.Marshal(a); !bytes.Equal(before, after) {
				t.Error("a refused state changed the receiver")
			}
		})
	}
	// The untouched state decodes, as a check on edit itself.
	var a Analysis
	if err := json.Unmarshal(edit(func(map[string]any) {}), &a); err != nil {
		t.Fatalf("unchanged state: %v", err)
	}
}

// TestNil covers every exported function and method that takes a pointer
// or a slice, with nil: each returns an error or documents nil as valid,
// and none panics.
func TestNil(t *testing.T) {
	var nilA *Analysis
	var nilAn *Analyzer
	an := MustCompile(Definition{Funnel: testFunnel()})
	live := an.NewAnalysis(time.Time{})
	for _, tc := range []struct {
		name string
		err  func() error // nil error is the documented answer when wantErr is false
		want bool         // an error is wanted
	}{
		{"(*Analysis)(nil).Add", func() error { return nilA.Add(&lead.Lead{}) }, true},
		{"Add(nil)", func() error { return live.Add(nil) }, true},
		{"(*Analysis)(nil).Merge", func() error { return nilA.Merge(live) }, true},
		{"Merge(nil)", func() error { return live.Merge(nil) }, true},
		{"(*Analysis)(nil).Report", func() error { _, err := nilA.Report(); return err }, true},
		{"(*Analysis)(nil).MarshalJSON", func() error { _, err := nilA.MarshalJSON(); return err }, true},
		{"(*Analysis)(nil).UnmarshalJSON", func() error { return nilA.UnmarshalJSON([]byte(`{}`)) }, true},
		{"UnmarshalJSON(nil)", func() error { return new(Analysis).UnmarshalJSON(nil) }, true},
		{"(*Analysis)(nil).AsOf", func() error {
			if !nilA.AsOf().IsZero() || nilA.Fingerprint() != "" {
				return errors.New("not zero")
			}
			return nil
		}, false},
		{"(*Analyzer)(nil).NewAnalysis", func() error { return nilAn.NewAnalysis(time.Time{}).Add(&lead.Lead{}) }, true},
		{"(*Analyzer)(nil).Definition", func() error {
			if nilAn.Fingerprint() != "" || len(nilAn.Definition().Funnel.Stages) != 0 {
				return errors.New("not zero")
			}
			return nil
		}, false},
		{"Analyze(nil leads)", func() error {
			r, err := Analyze(Definition{Funnel: testFunnel()}, time.Time{}, nil)
			if err == nil && r.Leads != 0 {
				return errors.New("leads from nowhere")
			}
			return err
		}, false},
		{"ParseDefinition(nil)", func() error { _, err := ParseDefinition(nil); return err }, true},
		{"ParseFunnel(nil)", func() error { _, err := ParseFunnel(nil); return err }, true},
		{"Funnel{}.Ladder", func() error {
			if (Funnel{}).Ladder() != nil {
				return errors.New("not nil")
			}
			return nil
		}, false},
		{"RatesFrom(Breakdown{})", func() error { _ = RatesFrom(Breakdown{}); _ = StageTimesFrom(Breakdown{}); return nil }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if (err != nil) != tc.want {
				t.Errorf("error %v, want an error: %v", err, tc.want)
			}
		})
	}
}

func TestParseDefinition(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string // error; empty for success
		path     string // the *leadkit.Error's path
		line     int
	}{
		{"ok", `{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"},"cohort":"month","zone":"Europe/Paris","window":"30d","segment":"fields.region","max_findings":5}`, "", "", 0},
		{"unknown field", `{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"},"cohrt":"month"}`, `cohrt: unknown field; did you mean "cohort"?`, "cohrt", 1}, // the document has one line
		{"unknown nested field", "{\"funnel\":{\"stages\":[{\"name\":\"x\",\"team\":\"sales\",\n\"colour\":\"red\"}],\"handoff\":\"x\"}}", `funnel.stages[0].colour: unknown field`, "funnel.stages[0].colour", 2},
		{"nanosecond window", `{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"},"window":86400000000000}`, `duration must be a string`, "window", 1},
		{"wrong type", "{\"funnel\":\n{\"stages\":[{\"name\":\"x\",\"team\":\"sales\"}],\"handoff\":7}}", "handoff", "funnel.handoff", 2},
		{"syntax", "{\"funnel\":\n{,}}", "invalid character", "", 2},
		{"invalid", `{"funnel":{"stages":[{"name":"x","team":"ops"}],"handoff":"x"}}`, `funnel.stages[0].team: "ops" is not a team`, "funnel.stages[0].team", 0},
		{"trailing", `{"funnel":{"stages":[{"name":"x","team":"sales"}],"handoff":"x"}} {}`, "data after the definition's closing brace", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDefinition([]byte(tc.in))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d.Window.Std() != 30*24*time.Hour || d.Segment != "fields.region" {
					t.Errorf("definition %+v", d)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseDefinition = %v, want %q", err, tc.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Fatalf("%v is not a *leadkit.Error", err)
			}
			if le.Path != tc.path || le.Line != tc.line {
				t.Errorf("path %q line %d, want %q, %d", le.Path, le.Line, tc.path, tc.line)
			}
		})
	}
	if _, err := ParseFunnel([]byte(`{"stages":[{"name":"x","team":"sales"}],"handoff":"x","exit":[]}`)); err == nil || !strings.Contains(err.Error(), `exit: unknown field; did you mean "exits"?`) {
		t.Errorf("ParseFunnel: %v", err)
	}
}

// TestAnalyzerKeepsItsOwnDefinition checks that Compile deep-copies the
// definition and Definition returns a deep copy: editing either changes
// neither the analyzer's behaviour nor its fingerprint.
func TestAnalyzerKeepsItsOwnDefinition(t *testing.T) {
	d := Definition{Funnel: testFunnel()}
	an := MustCompile(d)
	fp := an.Fingerprint()
	d.Funnel.Stages[0].Name = "changed"
	d.Funnel.Exits[1].Reasons[0] = "changed"
	got := an.Definition()
	got.Funnel.Stages[1].Name = "changed too"
	got.Funnel.Exits[1].Reasons[1] = "changed too"
	again := an.Definition()
	if again.Funnel.Stages[0].Name != lead.StageLead || again.Funnel.Stages[1].Name != lead.StageMQL ||
		!cmp.Equal(again.Funnel.Exits[1].Reasons, []string{"budget", "competitor"}) || an.Fingerprint() != fp {
		t.Errorf("definition changed: %+v", again)
	}
	// Defaults filled in: compiling the returned definition gives the
	// same fingerprint; the fingerprint is a hex SHA-256.
	if again.Zone != leadkit.UTC || again.MaxFindings != DefaultMaxFindings || MustCompile(again).Fingerprint() != fp || len(fp) != 64 {
		t.Errorf("zone %q, max findings %d, fingerprint %s", again.Zone, again.MaxFindings, fp)
	}
	if MustCompile(Definition{Funnel: testFunnel(), Strict: true}).Fingerprint() == fp {
		t.Error("a different definition has the same fingerprint")
	}
	l := mk("x", tr("lead", 0))
	a := an.NewAnalysis(time.Time{})
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	if r := report(t, a); r.Overall.Stages[0].Stage != lead.StageLead {
		t.Errorf("stage %q", r.Overall.Stages[0].Stage)
	}
}

func TestMustCompilePanicsQuotingTheError(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "funnel.stages: no stages") {
			t.Errorf("recovered %v", r)
		}
	}()
	MustCompile(Definition{})
}

func TestAnalyzeRefusesDuplicateIDs(t *testing.T) {
	var leads []lead.Lead
	for i := range 15 {
		leads = append(leads, mk(fmt.Sprint("d", i)), mk(fmt.Sprint("d", i)))
	}
	leads = append(leads, mk("solo"))
	_, err := Analyze(Definition{Funnel: testFunnel()}, time.Time{}, leads)
	want := `funnel: Analyze: 15 leads repeat an earlier lead's id ("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", ...); give each lead once`
	if err == nil || err.Error() != want {
		t.Errorf("Analyze = %v\nwant %s", err, want)
	}
}

func TestLadder(t *testing.T) {
	want := []lead.Stage{"lead", "mql", "sal", "sql", "opportunity", "customer"}
	l := Standard().Ladder()
	if !cmp.Equal(l, want) {
		t.Errorf("Ladder = %v, want %v", l, want)
	}
	l[0] = "changed"
	if Standard().Ladder()[0] != "lead" {
		t.Error("Ladder shares memory")
	}
}

// TestAsOfHidesTheFuture checks the as-of rules on one lead: at each
// cut only the transitions up to it exist; a lead created after the cut
// is counted as not yet created.
func TestAsOfHidesTheFuture(t *testing.T) {
	l := mk("a", tr("lead", 0), tr("mql", 10), tr("sql", 20), tr("customer", 30))
	for _, tc := range []struct {
		asOf    time.Time
		reached []int64
		notYet  int64
	}{
		{time.Time{}, []int64{1, 1, 1, 1}, 0},
		{at(30), []int64{1, 1, 1, 1}, 0},   // the boundary is visible
		{at(29.9), []int64{1, 1, 1, 0}, 0}, // not yet a customer
		{at(10), []int64{1, 1, 0, 0}, 0},   // an MQL
		{at(-1), []int64{0, 0, 0, 0}, 1},   // not yet created
		{at(0), []int64{1, 0, 0, 0}, 0},    // created and entered at once
	} {
		t.Run(fmtAsOf(tc.asOf), func(t *testing.T) {
			r := analyze(t, testFunnel(), []lead.Lead{l}, opts{AsOf: tc.asOf})
			if got := summarize(r.Overall).Reached; !cmp.Equal(got, tc.reached) || r.NotYetCreated != tc.notYet {
				t.Errorf("reached %v, not yet created %d; want %v, %d", got, r.NotYetCreated, tc.reached, tc.notYet)
			}
		})
	}
}

// TestDurationSumOverflow builds a state whose lead→mql histogram holds
// 10^9 durations of about 292 years (the longest time.Duration), summing
// to 2^63 − 11 seconds: valid, but one more hour of time overflows the
// sum. Report, MarshalJSON and Merge must then refuse with an error (and
// Merge change nothing); a full batch of 4096 durations that cannot be
// kept is one untimed finding, and the leads still count.
func TestDurationSumOverflow(t *testing.T) {
	def, _ := json.Marshal(Definition{Funnel: testFunnel()}.canonical())
	an := MustCompile(Definition{Funnel: testFunnel()})
	// 10^9 values in the top bucket 4367, (9.15e18, 9.24e18] ns: their
	// sum, 9.223e27 ns, is within 10^9 × the bucket's bounds.
	state := fmt.Sprintf(`{"format":"leadkit.funnel/1","definition":%s,"fingerprint":%q,"as_of":"0001-01-01T00:00:00Z",
		"leads":1000000000,"not_yet_created":0,"unstaged":0,"cells":[{"cohort":"","segment":"","stages":[
		{"reached":1000000000,"still_in":0,"reentered":0,"time":{"n":1000000000,"seconds":9223372036854775797,"nanos":0,"buckets":[[4367,1000000000]]}},
		{"reached":1000000000,"still_in":1000000000,"reentered":0,"time":{"n":0,"seconds":0,"nanos":0}},
		{"reached":0,"still_in":0,"reentered":0,"time":{"n":0,"seconds":0,"nanos":0}},
		{"reached":0,"still_in":0,"reentered":0,"time":{"n":0,"seconds":0,"nanos":0}}]}]}`, def, an.Fingerprint())
	var a Analysis
	if err := json.Unmarshal([]byte(state), &a); err != nil {
		t.Fatal(err)
	}
	l := mk("x", tr("lead", 0), tr("mql", 1))
	if err := a.Add(&l); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Report(); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Errorf("Report = %v, want an overflow error", err)
	}
	if _, err := json.Marshal(&a); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Errorf("MarshalJSON = %v, want an overflow error", err)
	}
	var b Analysis
	_ = json.Unmarshal([]byte(state), &b)
	if err := a.Merge(&b); err == nil || !strings.Contains(err.Error(), "overflow") {
		t.Errorf("Merge = %v, want an overflow error", err)
	}
	if a.leads != 1_000_000_001 {
		t.Errorf("a refused merge changed the leads: %d", a.leads)
	}
	// 4095 more leads fill the batch of 4096: none can be kept.
	for i := range maxPending - 1 {
		l := mk(fmt.Sprint("y", i), tr("lead", 0), tr("mql", 1))
		if err := a.Add(&l); err != nil {
			t.Fatal(err)
		}
	}
	r, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	// The finding names the lead whose Add filled the batch: y4094.
	if r.FindingCounts[FindingUntimed] != 1 || len(r.Findings) != 1 || r.Findings[0].LeadID != "y4094" ||
		r.Overall.Stages[0].Reached != 1_000_000_000+maxPending || r.Overall.Stages[0].TimeToNext.Count != 1_000_000_000 {
		t.Errorf("findings %v %v, lead stage %+v", r.FindingCounts, r.Findings, r.Overall.Stages[0])
	}
}
