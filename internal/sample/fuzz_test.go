package sample

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzGenerate feeds Generate arbitrary seeds, sizes and periods. It must
// never panic; it returns an error exactly for the documented bad
// Configs, and otherwise a data set that keeps every invariant and
// encodes as JSON.
func FuzzGenerate(f *testing.F) {
	f.Add(uint64(1), 100, int64(1735689600), int64(365*86400)) // 2025
	f.Add(uint64(2), 0, int64(0), int64(0))
	f.Add(uint64(3), 5, int64(-62135596800+3600), int64(86400)) // year 1
	f.Add(uint64(4), 20, int64(253370764800-86400), int64(86400))
	f.Add(uint64(5), -1, int64(1), int64(-5))
	f.Add(uint64(6), 7, int64(1735776000), int64(1)) // one second
	f.Fuzz(func(t *testing.T, seed uint64, leads int, startUnix, span int64) {
		leads %= 400 // keep each run fast; the sign is kept
		cfg := Config{Seed: seed, Leads: leads, Start: time.Unix(startUnix, 0).UTC()}
		cfg.End = cfg.Start.Add(time.Duration(span) * time.Second)
		if span > int64(MaxPeriod/time.Second)+10 || span < 0 {
			cfg.End = cfg.Start.Add(-time.Duration(1+span%1000) * time.Second)
		}
		if cfg.Start.IsZero() || cfg.End.IsZero() {
			return // zero means the default; covered by other tests
		}
		ds, err := Generate(cfg)
		wantErr := leads < 0 || !cfg.End.After(cfg.Start) || cfg.Start.Year() < 1 ||
			cfg.End.After(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) || cfg.End.Sub(cfg.Start) > MaxPeriod
		if (err != nil) != wantErr {
			t.Fatalf("Generate(%+v): err %v, want error %v", cfg, err, wantErr)
		}
		if err != nil {
			return
		}
		if _, err := json.Marshal(ds); err != nil {
			t.Fatalf("json: %v", err)
		}
		checkInvariants(t, cfg, false)
	})
}
