// Command report prints the page sales and marketing look at in their
// weekly or monthly meeting: are we on track against the previous period
// and the target, what the last 13 weeks look like, where the funnel
// loses leads, what each channel costs, who is not keeping the
// agreement, how the scoring model sees the leads, and what the rest of
// the period needs.
//
// With no flags it runs on a generated sample data set (3,000 leads over
// 2025), so it works on a fresh clone:
//
//	go run ./examples/report
//	go run ./examples/report -period week -as-of 2025-11-18
//	go run ./examples/report -leads 1000000 -json > report.json
//
// The report streams: leads are generated (or read) and added to the
// analyses one at a time, in batches of at most 25,000; nothing holds
// every lead's record (only their ids, to refuse duplicates, and a small
// state per account), so a million leads fit in under a gigabyte. Above 25,000 leads the sample is generated as one data set
// per slice of the year (ids prefixed "s1-", "s2-", ...).
//
// To run it on your own data, write your records as JSON lines files in
// one folder (leads.jsonl, deals.jsonl, customers.jsonl, spend.jsonl,
// visits.jsonl: one lead.Lead, kpi.Deal, kpi.Customer, kpi.Spend or
// kpi.Visits per line; all but leads.jsonl are optional) and pass -data.
// Each file is streamed through lead.Lines, leads through its fast lead
// decoder. -export writes the sample data in that form, to show the
// format:
//
//	go run ./examples/report -export /tmp/sample
//	go run ./examples/report -data /tmp/sample -as-of 2025-10-01
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/examples/alignment"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	var (
		leads     = flag.Int("leads", 3000, "number of sample leads to generate")
		seed      = flag.Uint64("seed", 1, "seed of the sample data")
		asOfFlag  = flag.String("as-of", "2026-01-01", "report as of this date (UTC midnight) or RFC 3339 time")
		period    = flag.String("period", "month", "the meeting's period: week, month or quarter")
		channel   = flag.String("channel", "", "only this source channel (paid_search, email, ...)")
		asJSON    = flag.Bool("json", false, "print the report as one JSON document")
		dataDir   = flag.String("data", "", "read your own data from this folder instead of generating it")
		exportDir = flag.String("export", "", "write the sample data as JSON files to this folder and exit")
		agreement = flag.String("agreement", "", "a JSON agreement to use instead of the embedded one")
		cpuprof   = flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
		memprof   = flag.String("memprofile", "", "write an allocation profile of the run to this file")
	)
	flag.Parse()
	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprof != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			f, err := os.Create(*memprof)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
			}
			if err != nil {
				log.Fatal(err)
			}
		}()
	}

	asOf, err := parseTime(*asOfFlag)
	if err != nil {
		log.Fatalf("-as-of: %v", err)
	}
	if *exportDir != "" {
		ds, err := sample.Generate(sample.Config{Seed: *seed, Leads: *leads})
		if err != nil {
			log.Fatal(err)
		}
		if err := writeData(*exportDir, ds); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %d leads and their records to %s\n", len(ds.Leads), *exportDir)
		return
	}

	// 1. The agreement: the scoring model, funnel, SLAs and targets both
	// teams signed, kept as data.
	a, err := alignment.DefaultAgreement()
	if *agreement != "" {
		b, rerr := os.ReadFile(*agreement)
		if rerr != nil {
			log.Fatal(rerr)
		}
		a, err = alignment.ParseAgreement(b)
	}
	if err != nil {
		log.Fatal(err)
	}

	// 2. The data, one record at a time into the builder.
	b, err := alignment.NewBuilder(a, alignment.Options{AsOf: asOf, Period: leadkit.Period(*period), Channel: *channel})
	if err != nil {
		log.Fatal(err)
	}
	prog := newProgress(os.Stderr, time.Now)
	if *dataDir != "" {
		err = readData(*dataDir, b, prog)
	} else {
		err = generate(*seed, *leads, b, prog)
	}
	prog.done()
	if err != nil {
		log.Fatal(err)
	}

	// 3. The report.
	r, err := b.Report()
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(os.Stdout)
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = r.WriteText(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		log.Fatal(err)
	}
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// sliceLeads is the most leads generated at once.
const sliceLeads = 25_000

// generate feeds the sample into b. Up to sliceLeads leads it is the one
// data set sample.Generate gives; beyond, the year is cut into equal
// slices of at most sliceLeads leads, each generated with its own seed
// and its ids prefixed, and added and dropped in turn; the next slice is
// generated while this one is added, which on two cores takes a million
// leads from about 10.5 s to 9.1 s, and the small slices keep the two in
// memory at once cheap.
func generate(seed uint64, n int, b *alignment.Builder, prog *progress) error {
	slices := max(1, (n+sliceLeads-1)/sliceLeads)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	year := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start)
	// One goroutine generates the next slice while this one adds the
	// current: at most two slices are in memory at once.
	type slice struct {
		ds  *sample.Dataset
		err error
	}
	next := make(chan slice)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for i := range slices {
			cfg := sample.Config{Seed: seed, Leads: n}
			prefix := ""
			if slices > 1 {
				lo, hi := i*n/slices, (i+1)*n/slices
				cfg = sample.Config{
					Seed: seed + uint64(i), Leads: hi - lo,
					Start: start.Add(year / time.Duration(slices) * time.Duration(i)),
					End:   start.Add(year / time.Duration(slices) * time.Duration(i+1)),
				}
				if i == slices-1 {
					cfg.End = start.Add(year)
				}
				prefix = fmt.Sprintf("s%d-", i+1)
			}
			ds, err := sample.Generate(cfg)
			if err == nil && prefix != "" {
				rename(ds, prefix)
			}
			select {
			case next <- slice{ds, err}:
			case <-stop: // the caller returned early
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for sl := range next {
		if sl.err != nil {
			return sl.err
		}
		ds := sl.ds
		for j := range ds.Leads {
			if err := b.AddLead(&ds.Leads[j]); err != nil {
				return err
			}
			prog.lead()
		}
		if err := b.AddData(alignment.Data{Deals: ds.Deals, Customers: ds.Customers, Spend: ds.Spend, Visits: ds.Visits}); err != nil {
			return err
		}
	}
	return nil
}

// rename prefixes the ids of one slice of the sample so that they do not
// collide with another slice's.
func rename(ds *sample.Dataset, prefix string) {
	for i := range ds.Leads {
		ds.Leads[i].ID = prefix + ds.Leads[i].ID
	}
	for i := range ds.Deals {
		d := &ds.Deals[i]
		d.ID = prefix + d.ID
		if d.LeadID != "" {
			d.LeadID = prefix + d.LeadID
		}
		if d.Account != "" {
			d.Account = prefix + d.Account
		}
	}
	for i := range ds.Customers {
		ds.Customers[i].ID = prefix + ds.Customers[i].ID
	}
}

// readData streams the host's records into b, leads first; every file
// but leads.jsonl may be missing. Deal ids must be unique; a lead that
// fails validation is reported (the first five) and used as it is. The
// first line that does not decode stops the run, with its file and line.
func readData(dir string, b *alignment.Builder, prog *progress) error {
	bad, n := 0, 0
	err := eachLine(filepath.Join(dir, "leads.jsonl"), true, func(l *lead.Lead) error {
		n++
		if err := l.Validate(); err != nil {
			if bad < 5 {
				log.Printf("lead %q: %v", l.ID, err)
			}
			bad++
		}
		prog.lead()
		return b.AddLead(l)
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		log.Printf("%d of %d leads have problems; they are reported on as they are", bad, n)
	}
	deals := map[string]struct{}{}
	if err := eachLine(filepath.Join(dir, "deals.jsonl"), false, func(d *kpi.Deal) error {
		if _, dup := deals[d.ID]; dup {
			return fmt.Errorf("deal %q: duplicate id", d.ID)
		}
		deals[d.ID] = struct{}{}
		return b.AddDeal(d)
	}); err != nil {
		return err
	}
	if err := eachLine(filepath.Join(dir, "customers.jsonl"), false, b.AddCustomer); err != nil {
		return err
	}
	if err := eachLine(filepath.Join(dir, "spend.jsonl"), false, b.AddSpend); err != nil {
		return err
	}
	return eachLine(filepath.Join(dir, "visits.jsonl"), false, b.AddVisits)
}

// eachLine reads the JSON lines file at path one record at a time and
// calls fn with each. A missing file is an error only when required.
// Unknown fields are refused; an error names the file and line.
func eachLine[T any](path string, required bool, fn func(*T) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	line := 0
	var rec T // one record at a time: fn keeps no pointer to it
	// Decoded on every core, ahead of fn: the builder's work per lead
	// is then what is left on the loop's path.
	for v, err := range lead.Lines[T](f, lead.Parallel(runtime.GOMAXPROCS(0))) {
		line++
		if err != nil {
			return fmt.Errorf("%s: %w", path, err) // err names its line
		}
		rec = v
		if err := fn(&rec); err != nil {
			return fmt.Errorf("%s: record %d: %w", path, line, err)
		}
	}
	return nil
}

// writeData writes the data set as JSON lines files, the form -data
// reads.
func writeData(dir string, d *sample.Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		n    int
		rec  func(i int) any
	}{
		{"leads.jsonl", len(d.Leads), func(i int) any { return &d.Leads[i] }},
		{"deals.jsonl", len(d.Deals), func(i int) any { return &d.Deals[i] }},
		{"customers.jsonl", len(d.Customers), func(i int) any { return &d.Customers[i] }},
		{"spend.jsonl", len(d.Spend), func(i int) any { return &d.Spend[i] }},
		{"visits.jsonl", len(d.Visits), func(i int) any { return &d.Visits[i] }},
	}
	for _, f := range files {
		out, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(out)
		enc := json.NewEncoder(w) // one value per line
		for i := range f.n {
			if err = enc.Encode(f.rec(i)); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Flush()
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// progress prints "1,200,000 leads" on one line of w, rewritten in
// place, when w is a terminal and the run has taken more than a second;
// otherwise nothing.
type progress struct {
	w       io.Writer
	now     func() time.Time
	start   time.Time
	n       int64
	printed bool
	on      bool
}

func newProgress(f *os.File, now func() time.Time) *progress {
	st, err := f.Stat()
	return &progress{w: f, now: now, start: now(), on: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

func (p *progress) lead() {
	p.n++
	if !p.on || p.n%10_000 != 0 || p.now().Sub(p.start) < time.Second {
		return
	}
	fmt.Fprintf(p.w, "\r%d leads read", p.n)
	p.printed = true
}

func (p *progress) done() {
	if p.printed {
		fmt.Fprintf(p.w, "\r%d leads read in %.1fs\n", p.n, p.now().Sub(p.start).Seconds())
	}
}
