package sample

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

func mustGenerate(t testing.TB, cfg Config) *Dataset {
	t.Helper()
	ds, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return ds
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterminism(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"zero config", Config{}},
		{"seed 1, 2000 leads", Config{Seed: 1, Leads: 2000}},
		{"seed 42, one week", Config{Seed: 42, Leads: 500,
			Start: time.Date(2025, 3, 3, 10, 30, 0, 0, time.UTC), End: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := mustJSON(t, mustGenerate(t, tc.cfg))
			b := mustJSON(t, mustGenerate(t, tc.cfg))
			if !bytes.Equal(a, b) {
				t.Fatalf("two runs of %+v differ in JSON (%d vs %d bytes)", tc.cfg, len(a), len(b))
			}
		})
	}
	t.Run("different seeds differ", func(t *testing.T) {
		a := mustJSON(t, mustGenerate(t, Config{Seed: 1, Leads: 200}))
		b := mustJSON(t, mustGenerate(t, Config{Seed: 2, Leads: 200}))
		if bytes.Equal(a, b) {
			t.Fatal("seeds 1 and 2 gave the same data set")
		}
	})
}

func TestConfigErrors(t *testing.T) {
	day := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string // substrings of the error; nil means no error
	}{
		{"zero", Config{}, nil},
		{"negative leads", Config{Leads: -1}, []string{"leads: negative (-1)"}},
		{"end before start", Config{Start: day, End: day.Add(-time.Hour)}, []string{"is not after start"}},
		{"end equals start", Config{Start: day, End: day}, []string{"is not after start"}},
		{"only start set, after default end", Config{Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, []string{"is not after start"}},
		{"no whole second", Config{Start: day.Add(100 * time.Millisecond), End: day.Add(900 * time.Millisecond)}, []string{"holds no whole second"}},
		{"both problems", Config{Leads: -5, Start: day, End: day}, []string{"leads: negative (-5)", "is not after start"}},
		{"one second", Config{Leads: 3, Start: day, End: day.Add(time.Second)}, nil},
		{"100 years", Config{Leads: 3, Start: day, End: day.Add(MaxPeriod)}, nil},
		{"over 100 years", Config{Leads: 3, Start: day, End: day.Add(MaxPeriod + time.Second)}, []string{"longer than 100 years"}},
		{"year 0", Config{Start: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)}, []string{"years 1 to 9998"}},
		{"year 9999", Config{Start: time.Date(9998, 12, 1, 0, 0, 0, 0, time.UTC), End: time.Date(9999, 1, 2, 0, 0, 0, 0, time.UTC)}, []string{"years 1 to 9998"}},
		{"last allowed end", Config{Leads: 50, Start: time.Date(9998, 12, 1, 0, 0, 0, 0, time.UTC), End: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, nil},
		// The zero time is year 1, January 1: a zero Start means the default.
		{"early start", Config{Leads: 50, Start: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), End: time.Date(1, 2, 1, 0, 0, 0, 0, time.UTC)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(tc.cfg)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ds := mustGenerate(t, Config{Seed: 7, Leads: 20000})
	bad := 0
	for i := range ds.Leads {
		l := &ds.Leads[i]
		if err := l.Validate(); err != nil {
			bad++
			// The only deliberate Validate failure is an email without "@".
			if strings.Contains(l.Person.Email, "@") || strings.Count(err.Error(), "\n") > 0 || !strings.HasPrefix(err.Error(), "person.email") {
				t.Errorf("lead %s: unexpected Validate error %v", l.ID, err)
			}
		}
	}
	// dqEmailShare is 0.05%: 20000 × 0.0005 = 10 expected, Poisson sd √10 ≈ 3.2;
	// 2..25 is more than 2.5 sd on each side.
	if bad < 2 || bad > 25 {
		t.Errorf("%d leads fail Validate, want 2..25 (about 10)", bad)
	}
}

func TestZeroLeads(t *testing.T) {
	ds := mustGenerate(t, Config{Seed: 3})
	if n := len(ds.Leads) + len(ds.Deals) + len(ds.Customers) + len(ds.Spend) + len(ds.Visits); n != 0 {
		t.Fatalf("zero leads gave %d records", n)
	}
	_ = lead.StageLead
}

// TestConcurrentGenerate runs Generate from several goroutines at once
// (run with -race): calls share no state, so each gives the same bytes.
func TestConcurrentGenerate(t *testing.T) {
	cfg := Config{Seed: 11, Leads: 1500}
	want := mustJSON(t, mustGenerate(t, cfg))
	const workers = 4
	got := make([][]byte, workers)
	errs := make([]error, workers)
	done := make(chan int)
	for w := range workers {
		go func() {
			ds, err := Generate(cfg)
			if err == nil {
				got[w], err = json.Marshal(ds)
			}
			errs[w] = err
			done <- w
		}()
	}
	for range workers {
		<-done
	}
	for w := range workers {
		if errs[w] != nil {
			t.Fatalf("worker %d: %v", w, errs[w])
		}
		if !bytes.Equal(got[w], want) {
			t.Errorf("worker %d: data set differs from the sequential run", w)
		}
	}
}

func TestSpendAndVisitRows(t *testing.T) {
	for _, tc := range []struct {
		name              string
		cfg               Config
		days, firstAtHour int
	}{
		// 2025 has 365 days.
		{"default year", Config{Seed: 1, Leads: 5000}, 365, 0},
		// 2025-03-03 10:30 to 2025-03-10 00:00 touches 7 calendar days (3rd
		// to 9th); the first row is at Start, not at midnight.
		{"partial first day", Config{Seed: 1, Leads: 5000,
			Start: time.Date(2025, 3, 3, 10, 30, 0, 0, time.UTC), End: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)}, 7, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := mustGenerate(t, tc.cfg)
			// 22 landing pages of 7 channels (organic 5, paid search 2,
			// social 3, email 4, referral 2, events 3, direct 3); 15 paid
			// campaigns: organic 2, paid search 3, social 3,
			// email 3, referral 1 (partner-program), events 3; direct and
			// customer-referral have no spend. With 5,000 leads every paid
			// campaign-day costs far more than a cent.
			if want := tc.days * 22; len(ds.Visits) != want {
				t.Errorf("%d visit rows, want %d", len(ds.Visits), want)
			}
			if want := tc.days * 15; len(ds.Spend) != want {
				t.Errorf("%d spend rows, want %d", len(ds.Spend), want)
			}
			if h := ds.Visits[0].At.Hour(); h != tc.firstAtHour {
				t.Errorf("first visit row at %s", ds.Visits[0].At)
			}
		})
	}
}
