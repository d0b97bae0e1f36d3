package rules

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the children's TZ must load even without a zoneinfo directory
)

// tzCases are rules whose result would depend on the host's time zone if
// any way to reach time.Local were left open: dates with offsets, days
// since, comparisons of instants in different zones.
var tzCases = []struct {
	src  string
	want bool
}{
	{`date("2025-03-01T17:30:00+05:30") == now`, true},          // 17:30 in Kolkata is 12:00 UTC, which is t0
	{`date("2025-03-01") < now`, true},                          // midnight UTC is before noon UTC
	{`date("2025-03-01T07:00:00-05:00") == now`, true},          // 07:00 in New York (EST) is 12:00 UTC
	{`days_since(date("2025-02-28T23:00:00-05:00")) > 0`, true}, // 04:00 UTC, 8 hours before t0
	{`created_at < now && now - created_at == duration("10d")`, true},
	{`fields.when == now`, true},                          // the same instant, whatever the zones
	{`any(activities, .at > now - duration("2d"))`, true}, // the page view a day ago
}

func TestTZCases(t *testing.T) {
	l := hostileLead()
	for _, tc := range tzCases {
		var s Set
		p, err := s.Compile(tc.src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := s.NewCtx()
		c.Reset(l, t0)
		if got, err := p.Eval(c); got != tc.want || err != nil {
			t.Errorf("%s: got %v, %v; want %v", tc.src, got, err, tc.want)
		}
	}
}

// TestTZIndependence runs the rule-language tables (TestEval's, the
// hostile suite and the cases above) in two child processes, one with
// TZ=America/New_York and one with TZ=Asia/Kolkata, and requires the
// same output, line for line. Go reads TZ once at start-up, hence the
// child processes.
func TestTZIndependence(t *testing.T) {
	if os.Getenv("LEADKIT_TZ_DUMP") != "" {
		t.Skip("in a child")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	var outs []string
	for _, tz := range []string{"America/New_York", "Asia/Kolkata"} {
		cmd := exec.Command(exe, "-test.run=^TestTZDump$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "TZ="+tz, "LEADKIT_TZ_DUMP=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("TZ=%s: %v\n%s", tz, err, out)
		}
		var zone string
		var lines []string
		for _, line := range strings.Split(string(out), "\n") {
			if z, ok := strings.CutPrefix(line, "zone "); ok {
				zone = z
			} else if r, ok := strings.CutPrefix(line, "rule "); ok {
				lines = append(lines, r)
			}
		}
		// The child really ran in the zone: its local offset at t0 is
		// -5h in New York (EST) and +5:30 in Kolkata.
		if want := map[string]string{"America/New_York": "EST -18000", "Asia/Kolkata": "IST 19800"}[tz]; zone != want {
			t.Fatalf("TZ=%s: the child's zone is %q, want %q", tz, zone, want)
		}
		if len(lines) < len(evalCases)+len(hostileCases)+len(tzCases) {
			t.Fatalf("TZ=%s: %d results, want %d", tz, len(lines), len(evalCases)+len(hostileCases)+len(tzCases))
		}
		outs = append(outs, strings.Join(lines, "\n"))
	}
	if outs[0] != outs[1] {
		a, b := strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("results differ:\nNew York: %s\nKolkata:  %s", a[i], b[i])
			}
		}
	}
}

// TestTZDump prints every case's result; TestTZIndependence runs it in
// child processes.
func TestTZDump(t *testing.T) {
	if os.Getenv("LEADKIT_TZ_DUMP") == "" {
		t.Skip("run by TestTZIndependence")
	}
	name, off := t0.In(time.Local).Zone()
	fmt.Printf("zone %s %d\n", name, off)
	l := hostileLead()
	l.Fields["when"] = t0.In(time.Local) // a host's value in its own zone
	// The host passes now in its local zone, as time.Now() would be.
	now := t0.In(time.Local)
	eval := func(src string, scope Scope) string {
		var s Set
		p, err := s.Compile(src, Options{Scope: scope, Path: "p"})
		if err != nil {
			return "compile: " + err.Error()
		}
		c := s.NewCtx()
		c.Reset(l, now)
		c.SetScores(50, 20, 70, "B")
		if scope == ScopeActivity {
			var b strings.Builder
			for i := range l.Activities[:8] {
				ok, err := p.EvalActivity(c, &l.Activities[i])
				fmt.Fprintf(&b, "%v %v;", ok, err)
			}
			return b.String()
		}
		ok, err := p.Eval(c)
		return fmt.Sprintf("%v %v", ok, err)
	}
	for _, tc := range evalCases {
		fmt.Printf("rule %s => %s\n", tc.src, strings.ReplaceAll(eval(tc.src, ScopeLead), "\n", `\n`))
	}
	for _, tc := range hostileCases {
		fmt.Printf("rule %s => %s\n", tc.name, strings.ReplaceAll(eval(tc.src, tc.scope), "\n", `\n`))
	}
	for _, tc := range tzCases {
		fmt.Printf("rule %s => %s\n", tc.src, strings.ReplaceAll(eval(tc.src, ScopeLead), "\n", `\n`))
	}
}
