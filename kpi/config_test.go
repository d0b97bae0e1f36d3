package kpi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // each a "path: message" fragment
	}{
		{"zero", Config{}, nil},
		{"period", Config{Period: "fortnight"}, []string{`period: unknown period "fortnight"`}},
		{"zone", Config{Zone: "Mars/Olympus"}, []string{`zone: unknown zone "Mars/Olympus"`}},
		{"local zone", Config{Zone: "Local"}, []string{`zone: zone "Local" depends on the host`}},
		{"dimensions", Config{Dimensions: []Dimension{{Key: "owner"}, {Name: "a", Key: "owner"}, {Name: "a", Key: "owner"}, {Name: "b"}, {Name: "c", Key: "stage"}}},
			[]string{"dimensions[0].name: empty name", `dimensions[2].name: duplicate name "a" (also dimensions[1])`,
				"dimensions[3].key: empty key", `dimensions[4].key: unknown key "stage"`}},
		{"func without key", Config{Dimensions: []Dimension{{Name: "f", Func: func(*lead.Lead) string { return "" }}}}, nil},
		{"ladder", Config{Stages: Stages{Ladder: []lead.Stage{"a", "", "a", "b"}, MQL: "b", SQL: "a", Customer: "z"}},
			[]string{"stages.ladder[1]: empty stage", `stages.ladder[2]: duplicate stage "a"`,
				`stages.customer: stage "z" is not on the ladder`, `stages.sql: stage "a" comes before the MQL stage`}},
		{"default names off a custom ladder", Config{Stages: Stages{Ladder: []lead.Stage{"x"}}},
			[]string{`stages.mql: stage "mql" is not on the ladder`, `stages.sql: stage "sql"`, `stages.customer: stage "customer"`}},
		{"customer before sql", Config{Stages: Stages{Customer: lead.StageLead}}, []string{`stages.customer: stage "lead" comes before the SQL stage`}},
		{"window", Config{CohortWindow: leadkit.Duration(-time.Hour)}, []string{"cohort_window: negative window -1h"}},
		{"margin", Config{GrossMargin: dec("1.5")}, []string{"gross_margin: 1.5 is not a fraction from 0 to 1"}},
		{"negative margin", Config{GrossMargin: dec("-0.1")}, []string{"gross_margin: -0.1 is not a fraction"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var le *leadkit.Error
			if !errors.As(err, &le) || le.Path == "" {
				t.Errorf("want *leadkit.Error values with paths, got %#v", err)
			}
			if _, cerr := Compile(tt.cfg); cerr == nil {
				t.Error("Compile accepted an invalid config")
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"unknown field", `{"granularity":"month"}`, `granularity: unknown field "granularity"`},
		{"unknown nested field", `{"dimensions":[{"name":"c","key":"owner","func":"x"}]}`, `unknown field "func"`},
		{"nanoseconds", `{"cohort_window":7776000000000000}`, "duration must be a string"},
		{"type", `{"period":5}`, "period: cannot use JSON number"},
		{"trailing", `{} {}`, "trailing data"},
		{"invalid", `{"gross_margin":"2"}`, "gross_margin: 2 is not a fraction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			var le *leadkit.Error
			if !errors.As(err, &le) {
				t.Errorf("want a *leadkit.Error, got %T", err)
			}
		})
	}
	cfg, err := ParseConfig([]byte(`{"period":"quarter","cohort_window":"30d","gross_margin":"0.8","dimensions":[{"name":"channel","key":"source.channel"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Period != leadkit.Quarter || cfg.CohortWindow.Std() != 30*24*time.Hour || !cfg.GrossMargin.Equal(dec("0.8")) || cfg.Dimensions[0].Name != "channel" || cfg.Dimensions[0].Key != "source.channel" {
		t.Fatalf("parsed %+v", cfg)
	}
	b, _ := json.Marshal(cfg)
	if want := `{"period":"quarter","dimensions":[{"name":"channel","key":"source.channel"}],"cohort_window":"30d","gross_margin":"0.8"}`; string(b) != want {
		t.Errorf("encodes as %s, want %s", b, want)
	}
}

func TestFingerprint(t *testing.T) {
	zero := MustCompile(Config{}).Fingerprint()
	filled := MustCompile(Config{Period: leadkit.Month, Zone: "UTC", CohortWindow: leadkit.Duration(90 * 24 * time.Hour),
		GrossMargin: dec("1.00"), Stages: Stages{Ladder: lead.Lifecycle(), MQL: lead.StageMQL, SQL: lead.StageSQL, Customer: lead.StageCustomer}}).Fingerprint()
	if zero != filled || len(zero) != 64 {
		t.Errorf("defaults filled in: %s, zero config: %s; want the same 64 hex digits", filled, zero)
	}
	for _, c := range []Config{{Period: leadkit.Week}, {Zone: "Europe/Paris"}, {Dimensions: []Dimension{ByOwner()}},
		{CohortWindow: leadkit.Duration(time.Hour)}, {GrossMargin: dec("0.5")}, {Stages: Stages{MQL: lead.StageSAL}}} {
		if MustCompile(c).Fingerprint() == zero {
			t.Errorf("%+v has the zero config's fingerprint", c)
		}
	}
}

// TestMeterConfigIsACopy checks that editing the definition a meter
// returns changes neither the meter nor its fingerprint.
func TestMeterConfigIsACopy(t *testing.T) {
	cfg := Config{Dimensions: []Dimension{ByChannel()}, Stages: Stages{Ladder: lead.Lifecycle()}}
	m := MustCompile(cfg)
	fp := m.Fingerprint()
	cfg.Dimensions[0].Key = "owner" // the caller's own slice
	got := m.Config()
	got.Dimensions[0].Key = "owner"
	got.Stages.Ladder[2] = "x"
	again := m.Config()
	if again.Dimensions[0].Key != "source.channel" || again.Stages.Ladder[2] != lead.StageMQL || m.Fingerprint() != fp {
		t.Fatalf("the meter changed: %+v", again)
	}
	if keys := m.KeysOf(&lead.Lead{Source: lead.Source{Channel: "email"}, Owner: "ann"}); keys["channel"] != "email" {
		t.Fatalf("keys %v", keys)
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `unknown period "x"`) {
			t.Fatalf("recovered %v", r)
		}
	}()
	MustCompile(Config{Period: "x"})
}

func TestAttributionHalfLifeJSON(t *testing.T) {
	b, err := json.Marshal(Attribution{Model: TimeDecay, HalfLife: leadkit.Duration(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"model":"time_decay","half_life":"7d"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var a Attribution
	if err := json.Unmarshal([]byte(`{"model":"time_decay","half_life":604800000000000}`), &a); err == nil {
		t.Error("a half-life in nanoseconds: want an error")
	}
}
