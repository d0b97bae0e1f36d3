// Command beam runs the alignment report's four analyses (the KPI
// scorecard, the funnel, SLA compliance and the scoring model's backtest)
// and the funnel per country on Apache Beam, and checks that the reports
// are byte for byte those of a single pass.
//
// It is a nested Go module, so that leadkit itself never depends on Beam.
// Locally it runs on prism, Beam's portable runner in a process:
//
//	cd examples/beam
//	go run . -data testdata -out /tmp/reports.jsonl -check
//
// The data folder holds JSON lines files, one record per line: leads.jsonl
// (lead.Lead), deals.jsonl (kpi.Deal), customers.jsonl, spend.jsonl and
// visits.jsonl; all but leads.jsonl are optional: the form
// `go run ./examples/report -export DIR` writes. JSON arrays (NAME.json)
// are read too: they are first rewritten as JSON lines in a temporary
// folder.
//
// The output is one JSON line per report: {"analysis": "kpi", "report":
// {...}}, and {"analysis": "funnel_by_country", "key": "DE", ...} per
// country. -check also computes them in one pass in memory and fails
// unless the lines are identical.
//
// On a cluster, pick the runner and its flags: -runner universal
// -endpoint HOST:PORT -environment_type DOCKER (Flink, Spark), or
// -runner dataflow with its project flags (import its runner package).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/leadkit/leadkit/examples/alignment"
	"io/fs"
	"log"
	"maps"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	"github.com/leadkit/leadkit/lead"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("beam: ")
	var c config
	flag.StringVar(&c.dataDir, "data", "testdata", "folder of the records (NAME.jsonl or NAME.json)")
	flag.StringVar(&c.out, "out", "", "write the report lines to this file (default: a temporary file)")
	flag.StringVar(&c.asOf, "as-of", "2026-01-01", "report as of this date (UTC) or RFC 3339 time")
	flag.StringVar(&c.agreement, "agreement", "", "a JSON agreement to use instead of the report's embedded one")
	flag.IntVar(&c.fanout, "fanout", 4, "shards per analysis whose accumulators are merged")
	flag.StringVar(&c.runner, "runner", "prism", "Beam runner: prism locally")
	flag.BoolVar(&c.check, "check", false, "also run a single pass in memory and fail unless the reports are identical")
	flag.BoolVar(&c.single, "single", false, "run only the single pass in memory (to compare time and memory)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	beam.Init() // a worker started by the runner stops here and serves

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	err := run(c)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		log.Fatal(err)
	}
}

// config is the command line.
type config struct {
	dataDir, out, asOf, agreement, runner string
	fanout                                int
	check, single                         bool
}

func run(c config) error {
	asOf, err := parseTime(c.asOf)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}
	// The report's agreement (examples/alignment), or the host's own.
	a, err := alignment.DefaultAgreement()
	if c.agreement != "" {
		b, rerr := os.ReadFile(c.agreement)
		if rerr != nil {
			return rerr
		}
		a, err = alignment.ParseAgreement(b)
	}
	if err != nil {
		return err
	}
	x, err := NewAnalyses(a, asOf)
	if err != nil {
		return err
	}
	files, cleanup, err := inputFiles(c.dataDir)
	if err != nil {
		return err
	}
	defer cleanup()

	var got []string
	if !c.single {
		out := c.out
		if out == "" {
			dir, err := os.MkdirTemp("", "beam-out-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			out = filepath.Join(dir, "reports.jsonl")
		}
		start := time.Now()
		wire.reset()
		if _, err := Run(context.Background(), c.runner, x, files, out, c.fanout); err != nil {
			return err
		}
		wireCounts := wire.reset()
		if got, err = readLines(out); err != nil {
			return err
		}
		fmt.Printf("pipeline: %d report lines in %s (%s on %s, fanout %d)\n", len(got), out, time.Since(start).Round(time.Millisecond), c.runner, c.fanout)
		// Seen only when the workers run in this process (prism locally).
		for _, t := range slices.Sorted(maps.Keys(wireCounts)) {
			w := wireCounts[t]
			fmt.Printf("  %-20s %5d states encoded, %5d decoded, %10d bytes, largest %9d\n", t, w.Encoded, w.Decoded, w.Bytes, w.Largest)
		}
	}
	if !c.check && !c.single {
		return nil
	}
	start := time.Now()
	d, err := ReadData(files)
	if err != nil {
		return err
	}
	want, sizes, err := singlePass(x, d)
	if err != nil {
		return err
	}
	fmt.Printf("single pass: %d report lines over %d leads in %s\n", len(want), len(d.Leads), time.Since(start).Round(time.Millisecond))
	for _, s := range sizes {
		fmt.Printf("  %-30s final state %9d bytes\n", s.Analysis, s.Bytes)
	}
	if c.single {
		return nil
	}
	if err := Compare(got, want); err != nil {
		return err
	}
	fmt.Println("check: the pipeline's reports are identical to the single pass's")
	return nil
}

// Files are the input files; an empty name means none.
type Files struct {
	Leads, Deals, Customers, Spend, Visits string
}

// Run builds the pipeline over files, runs it and writes the report lines
// to out.
func Run(ctx context.Context, runner string, x *Analyses, files Files, out string, fanout int) (beam.PipelineResult, error) {
	p, s := beam.NewPipelineWithRoot()
	in := ReadInputs(s, files.Leads, files.Deals, files.Customers, files.Spend, files.Visits)
	textio.Write(s, out, Build(s, x, in, Options{Fanout: fanout}))
	return beam.Run(ctx, runner, p)
}

// Compare reports whether the pipeline's lines (in any order) are the
// single pass's, and if not, the first difference.
func Compare(got, want []string) error {
	got = slices.Sorted(slices.Values(got))
	want = slices.Sorted(slices.Values(want))
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Errorf("report %d missing: %.200s", i, want[i])
		case i >= len(want):
			return fmt.Errorf("report %d extra: %.200s", i, got[i])
		case got[i] != want[i]:
			return fmt.Errorf("report %d differs:\n pipeline:    %.300s\n single pass: %.300s", i, got[i], want[i])
		}
	}
	return nil
}

// inputFiles finds the input files in dir: NAME.jsonl, or NAME.json (a
// JSON array) rewritten as JSON lines in a temporary folder.
func inputFiles(dir string) (Files, func(), error) {
	var f Files
	tmp := ""
	cleanup := func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}
	for _, e := range []struct {
		name string
		dst  *string
	}{{"leads", &f.Leads}, {"deals", &f.Deals}, {"customers", &f.Customers}, {"spend", &f.Spend}, {"visits", &f.Visits}} {
		jsonl := filepath.Join(dir, e.name+".jsonl")
		if _, err := os.Stat(jsonl); err == nil {
			*e.dst = jsonl
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.name+".json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return f, cleanup, err
		}
		var records []json.RawMessage
		if err := json.Unmarshal(b, &records); err != nil {
			return f, cleanup, fmt.Errorf("%s.json: %w", e.name, err)
		}
		if tmp == "" {
			if tmp, err = os.MkdirTemp("", "beam-input-"); err != nil {
				return f, cleanup, err
			}
		}
		var buf bytes.Buffer
		for _, r := range records {
			// One record per line: an indented array's records span lines.
			if err := json.Compact(&buf, r); err != nil {
				return f, cleanup, err
			}
			buf.WriteByte('\n')
		}
		*e.dst = filepath.Join(tmp, e.name+".jsonl")
		if err := os.WriteFile(*e.dst, buf.Bytes(), 0o644); err != nil {
			return f, cleanup, err
		}
	}
	if f.Leads == "" {
		return f, cleanup, fmt.Errorf("%s: no leads.jsonl or leads.json", dir)
	}
	return f, cleanup, nil
}

// ReadData reads the files into memory, for the single pass.
func ReadData(files Files) (Data, error) {
	var d Data
	err := errors.Join(
		readFile(files.Leads, &d.Leads),
		readFile(files.Deals, &d.Deals),
		readFile(files.Customers, &d.Customers),
		readFile(files.Spend, &d.Spend),
		readFile(files.Visits, &d.Visits),
	)
	return d, err
}

func readFile[T any](name string, dst *[]T) error {
	if name == "" {
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	for v, err := range lead.Lines[T](f) {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		*dst = append(*dst, v)
	}
	return nil
}

// readLines reads the non-empty lines of a file.
func readLines(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}
