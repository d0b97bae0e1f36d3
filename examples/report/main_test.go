package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
)

func TestEachLine(t *testing.T) {
	const rec = `{"channel":"x","at":"2025-01-01T00:00:00Z","amount":"5"}`
	tests := []struct {
		name, in, want string // want "" for success
		n              int    // records read
	}{
		{"plain", rec + "\n", "", 1},
		{"byte order mark, CRLF, blank line", "\xef\xbb\xbf" + rec + "\r\n\r\n" + rec + "\r\n", "", 2},
		// the unknown field is on line 2 (the first line is fine)
		{"unknown field", rec + "\n" + `{"channel":"x","amout":"5"}`, `line 2: unknown field "amout"`, 1},
		{"two values on a line", rec + " {}", "line 1: ", 0},
		{"wrong type", `{"channel":5}`, "line 1: cannot unmarshal number", 0},
		{"negative amount refused by the scorecard", `{"channel":"x","at":"2025-01-01T00:00:00Z","amount":"-5"}`, "record 1: ", 0},
	}
	dir := t.TempDir()
	a, err := alignment.DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "spend.jsonl")
			if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := alignment.NewBuilder(a, alignment.Options{AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			err = eachLine(path, true, func(s *kpi.Spend) error { n++; return b.AddSpend(s) })
			got := ""
			if err != nil {
				got = err.Error()
			}
			if tt.want == "" && got != "" || tt.want != "" && !strings.HasPrefix(got, path+": "+tt.want) {
				t.Errorf("eachLine = %q, want %q", got, tt.want)
			}
			if n != tt.n && tt.want == "" {
				t.Errorf("read %d records, want %d", n, tt.n)
			}
		})
	}
	if err := eachLine(filepath.Join(dir, "missing.jsonl"), false, func(*kpi.Spend) error { return nil }); err != nil {
		t.Errorf("a missing optional file: %v", err)
	}
	if err := eachLine(filepath.Join(dir, "missing.jsonl"), true, func(*kpi.Spend) error { return nil }); err == nil {
		t.Error("a missing required file was accepted")
	}
}

// TestReadMatchesGenerate: the sample written with -export and read back
// with -data, one record at a time, gives the report the generated
// sample gives.
func TestReadMatchesGenerate(t *testing.T) {
	a, err := alignment.DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	opt := alignment.Options{AsOf: time.Date(2025, 11, 18, 0, 0, 0, 0, time.UTC), Period: leadkit.Week}
	report := func(feed func(*alignment.Builder) error) []byte {
		b, err := alignment.NewBuilder(a, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := feed(b); err != nil {
			t.Fatal(err)
		}
		r, err := b.Report()
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}
	prog := &progress{now: time.Now}
	generated := report(func(b *alignment.Builder) error { return generate(2, 500, b, prog) })
	if prog.n != 500 {
		t.Errorf("progress counted %d leads; want 500", prog.n)
	}
	ds, err := sample.Generate(sample.Config{Seed: 2, Leads: 500})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := writeData(dir, ds); err != nil {
		t.Fatal(err)
	}
	read := report(func(b *alignment.Builder) error { return readData(dir, b, &progress{now: time.Now}) })
	if !bytes.Equal(generated, read) {
		t.Error("the report of the exported data differs from the generated data's")
	}
}

func TestRename(t *testing.T) {
	ds, err := sample.Generate(sample.Config{Seed: 1, Leads: 200})
	if err != nil {
		t.Fatal(err)
	}
	rename(ds, "s2-")
	ids := map[string]bool{}
	for _, l := range ds.Leads {
		ids[l.ID] = true
		if !strings.HasPrefix(l.ID, "s2-") {
			t.Fatalf("lead %q not renamed", l.ID)
		}
	}
	for _, d := range ds.Deals {
		if !strings.HasPrefix(d.ID, "s2-") || (d.LeadID != "" && !ids[d.LeadID]) {
			t.Fatalf("deal %q (lead %q) not renamed with its lead", d.ID, d.LeadID)
		}
	}
	for _, c := range ds.Customers {
		if !strings.HasPrefix(c.ID, "s2-") {
			t.Fatalf("customer %q not renamed", c.ID)
		}
	}
}

// BenchmarkStream runs the whole report on 100,000 generated leads (one
// slice): generation, every analysis and the report. go test -bench
// Stream -benchtime 1x -benchmem ./examples/report
func BenchmarkStream(b *testing.B) {
	a, err := alignment.DefaultAgreement()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		bl, err := alignment.NewBuilder(a, alignment.Options{AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Period: leadkit.Quarter})
		if err != nil {
			b.Fatal(err)
		}
		if err := generate(1, 100_000, bl, &progress{now: time.Now}); err != nil {
			b.Fatal(err)
		}
		if _, err := bl.Report(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/lead")
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	p := &progress{w: &buf, now: now, start: now(), on: true}
	for range 10_000 {
		p.lead()
	}
	if buf.Len() != 0 {
		t.Errorf("printed %q within the first second", buf.String())
	}
	clock = clock.Add(1500 * time.Millisecond)
	for range 10_000 {
		p.lead()
	}
	p.done()
	if want := "\r20000 leads read\r20000 leads read in 1.5s\n"; buf.String() != want {
		t.Errorf("printed %q; want %q", buf.String(), want)
	}
	// Not a terminal: nothing, however long it takes.
	buf.Reset()
	off := &progress{w: &buf, now: now, start: clock.Add(-time.Hour)}
	for range 20_000 {
		off.lead()
	}
	off.done()
	if buf.Len() != 0 {
		t.Errorf("printed %q when not on a terminal", buf.String())
	}
}

// FuzzDecodeArray feeds arbitrary bytes to the reader of -data files: it
// must return an error or the elements, never panic.
