package kpi_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// The benchmarks run the scorecard over the sample generator's data set:
// 1,000,000 leads created over 2025 with their deals, customers and a
// year of daily spend and visits. Generating it takes a while and a few
// GB, so it is built once and only when a benchmark asks for it.
var (
	benchOnce sync.Once
	benchData *sample.Dataset
	benchErr  error
)

func benchDataset(b *testing.B) *sample.Dataset {
	b.Helper()
	benchOnce.Do(func() {
		benchData, benchErr = sample.Generate(sample.Config{Seed: 1, Leads: 1_000_000})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchData
}

func benchDims() []kpi.Dimension {
	return []kpi.Dimension{kpi.ByChannel(), kpi.ByCampaign(), kpi.ByOwner(), kpi.ByProduct()}
}

var benchMeter = kpi.MustCompile(kpi.Config{Period: leadkit.Month, Dimensions: benchDims()})

func records(d *sample.Dataset) int {
	return len(d.Leads) + len(d.Deals) + len(d.Customers) + len(d.Spend) + len(d.Visits)
}

// fill adds the whole data set to a new monthly scorecard.
func fill(b testing.TB, d *sample.Dataset) *kpi.Scorecard {
	s := benchMeter.NewScorecard(time.Time{})
	for i := range d.Spend {
		if err := s.AddSpend(&d.Spend[i]); err != nil {
			b.Fatal(err)
		}
	}
	for i := range d.Visits {
		if err := s.AddVisits(&d.Visits[i]); err != nil {
			b.Fatal(err)
		}
	}
	for i := range d.Leads {
		if err := s.AddLead(&d.Leads[i]); err != nil {
			b.Fatal(err)
		}
	}
	for i := range d.Deals {
		if err := s.AddDeal(&d.Deals[i]); err != nil {
			b.Fatal(err)
		}
	}
	for i := range d.Customers {
		if err := s.AddCustomer(&d.Customers[i]); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// perRecord reports ns/record and allocs/record next to the per-op
// figures, and the live heap one scorecard keeps.
func perRecord(b *testing.B, n int, keep func() any) {
	b.Helper()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	v := keep()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)-float64(before), "heap-B/scorecard")
	runtime.KeepAlive(v)
}

// BenchmarkScorecard adds every record of the sample data set to a
// monthly scorecard with four dimensions (channel, campaign, owner,
// product). The float64 sub-benchmark is the baseline: the same bucketing
// and the same sums and counts, with money in float64, durations in
// hour-resolution maps and hand-written key functions.
func BenchmarkScorecard(b *testing.B) {
	d := benchDataset(b)
	n := records(d)
	b.Logf("%d leads, %d deals, %d customers, %d spend, %d visits: %d records",
		len(d.Leads), len(d.Deals), len(d.Customers), len(d.Spend), len(d.Visits), n)
	b.Run("exact", func(b *testing.B) {
		b.ReportAllocs()
		var s *kpi.Scorecard
		for b.Loop() {
			s = fill(b, d)
		}
		b.ReportMetric(float64(cells(b, s)), "cells")
		perRecord(b, n, func() any { return fill(b, d) })
	})
	b.Run("float64", func(b *testing.B) {
		b.ReportAllocs()
		var s *floatCard
		for b.Loop() {
			s = fillFloat(d)
		}
		b.ReportMetric(float64(len(s.cells)), "cells")
		perRecord(b, n, func() any { return fillFloat(d) })
	})
	// The machine's load changes between sub-benchmarks; alternating the
	// two in one loop gives a ratio that load shifts affect less.
	b.Run("ratio", func(b *testing.B) {
		var exact, float time.Duration
		for b.Loop() {
			t0 := time.Now()
			fill(b, d)
			t1 := time.Now()
			fillFloat(d)
			exact, float = exact+t1.Sub(t0), float+time.Since(t1)
		}
		b.ReportMetric(float64(exact)/float64(float), "exact/float64")
	})
}

// BenchmarkScorecardReport measures Report over the full scorecard.
func BenchmarkScorecardReport(b *testing.B) {
	s := fill(b, benchDataset(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Report(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScorecardMerge merges two scorecards of 1,000 segments each
// (12 months × 1,000 segments of one dimension, plus totals), the
// steady-state cost of folding one shard into another.
func BenchmarkScorecardMerge(b *testing.B) {
	m := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByOwner()}})
	mk := func(seed int64) *kpi.Scorecard {
		s := m.NewScorecard(time.Time{})
		t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range int64(60_000) {
			at := t0.Add(time.Duration((i/1000)*146+seed) * time.Hour) // 60 instants over the year
			owner := fmt.Sprintf("rep-%03d", i%1000)
			_ = s.AddLead(&lead.Lead{ID: fmt.Sprint("L", i), CreatedAt: at, Owner: owner,
				Activities: []lead.Activity{{Type: lead.ActivityCall, Actor: owner, At: at.Add(time.Duration(i%50) * time.Hour)}}})
			_ = s.AddDeal(&kpi.Deal{ID: fmt.Sprint("D", i), Owner: owner, Status: kpi.DealWon, Amount: decimal.New(i, -2),
				CreatedAt: at, ClosedAt: at.Add(time.Duration(i%900) * time.Hour)})
		}
		return s
	}
	a, o := mk(1), mk(2)
	n := cells(b, o)
	b.Logf("merging %d cells (1,000 segments x 12 months + totals) into %d", n, cells(b, a))
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Merge(o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/cell")
}

// cells returns the number of cells in a scorecard's state.
func cells(b testing.TB, s *kpi.Scorecard) int {
	var st struct{ Cells []json.RawMessage }
	if err := json.Unmarshal(mustMarshal(b, s), &st); err != nil {
		b.Fatal(err)
	}
	return len(st.Cells)
}

var (
	bench100kOnce sync.Once
	bench100k     *sample.Dataset
)

// BenchmarkScorecardState reports the size of a scorecard's JSON state
// (monthly, four dimensions) after 100k and 1M leads with their records:
// it grows with periods x segments, not with leads.
func BenchmarkScorecardState(b *testing.B) {
	for _, size := range []string{"100k", "1M"} {
		b.Run(size, func(b *testing.B) {
			var d *sample.Dataset
			if size == "1M" {
				d = benchDataset(b)
			} else {
				bench100kOnce.Do(func() {
					var err error
					if bench100k, err = sample.Generate(sample.Config{Seed: 1, Leads: 100_000}); err != nil {
						b.Fatal(err)
					}
				})
				d = bench100k
			}
			s := fill(b, d)
			var n int
			for b.Loop() {
				n = len(mustMarshal(b, s))
			}
			b.ReportMetric(float64(n), "state-B")
			b.ReportMetric(float64(cells(b, s)), "cells")
		})
	}
}

// floatCard is the baseline: the scorecard's work with float64 money.
type floatCard struct {
	loc   *time.Location
	dims  []floatDim
	cells map[floatKey]*floatCell
}

// floatDim is a dimension of the baseline: hand-written key functions,
// nil where a record kind has no segment.
type floatDim struct {
	lead   func(*lead.Lead) string
	deal   func(*kpi.Deal) string
	spend  func(*kpi.Spend) string
	visits func(*kpi.Visits) string
}

// floatDims are the benchmark's four dimensions: channel, campaign,
// owner, product.
func floatDims() []floatDim {
	return []floatDim{
		{lead: func(l *lead.Lead) string { return string(l.Source.Channel) },
			spend: func(s *kpi.Spend) string { return s.Channel }, visits: func(v *kpi.Visits) string { return v.Channel }},
		{lead: func(l *lead.Lead) string { return l.Source.Campaign }, spend: func(s *kpi.Spend) string { return s.Campaign }},
		{lead: func(l *lead.Lead) string { return l.Owner }, deal: func(d *kpi.Deal) string { return d.Owner }},
		{deal: func(d *kpi.Deal) string { return d.Product }},
	}
}

type floatKey struct {
	period int64
	dim    int
	seg    string
}

type floatCell struct {
	spend, pipeline, revenue, revenueNew                        float64
	visits, leads, mqls, sqls, cohortWon, uncontacted, leadsWon int64
	opps, won, lost, newCustomers, gained, churned              int64
	cycle, response, purchase                                   map[int64]int64
}

func (f *floatCard) cell(p int64, dim int, seg string) *floatCell {
	k := floatKey{p, dim, seg}
	c := f.cells[k]
	if c == nil {
		c = &floatCell{}
		f.cells[k] = c
	}
	return c
}

func month(t time.Time, loc *time.Location) int64 {
	y, m, _ := t.In(loc).Date()
	return int64(y)*12 + int64(m-1)
}

func hist(h *map[int64]int64, v int64) {
	if *h == nil {
		*h = map[int64]int64{}
	}
	(*h)[v]++
}

func stagePos(st lead.Stage) int {
	switch st {
	case lead.StageMQL:
		return 1
	case lead.StageSAL:
		return 2
	case lead.StageSQL:
		return 3
	case lead.StageOpportunity:
		return 4
	case lead.StageCustomer, lead.StageEvangelist:
		return 5
	}
	return 0
}

// floatAmounts holds the data set's amounts as float64, converted once,
// as a float64 system would store them.
type floatAmounts struct{ spend, deals []float64 }

var (
	floatOnce sync.Once
	floats    floatAmounts
)

func toFloats(d *sample.Dataset) floatAmounts {
	floatOnce.Do(func() {
		floats.spend = make([]float64, len(d.Spend))
		for i := range d.Spend {
			floats.spend[i] = d.Spend[i].Amount.InexactFloat64()
		}
		floats.deals = make([]float64, len(d.Deals))
		for i := range d.Deals {
			floats.deals[i] = d.Deals[i].Amount.InexactFloat64()
		}
	})
	return floats
}

func fillFloat(d *sample.Dataset) *floatCard {
	fa := toFloats(d)
	f := &floatCard{loc: time.UTC, dims: floatDims(), cells: map[floatKey]*floatCell{}}
	for i := range d.Spend {
		sp := &d.Spend[i]
		p := month(sp.At, f.loc)
		amt := fa.spend[i]
		f.cell(p, 0, "").spend += amt
		for j, dim := range f.dims {
			if dim.spend != nil {
				f.cell(p, j+1, dim.spend(sp)).spend += amt
			}
		}
	}
	for i := range d.Visits {
		v := &d.Visits[i]
		p := month(v.At, f.loc)
		f.cell(p, 0, "").visits += v.Count
		for j, dim := range f.dims {
			if dim.visits != nil {
				f.cell(p, j+1, dim.visits(v)).visits += v.Count
			}
		}
	}
	const window = 90 * 24 * time.Hour
	for i := range d.Leads {
		l := &d.Leads[i]
		pos := stagePos(l.Stage)
		var custAt time.Time
		isCust := false
		for _, tr := range l.History {
			pos = max(pos, stagePos(tr.To))
			if tr.To == lead.StageCustomer && (!isCust || tr.At.Before(custAt)) {
				custAt, isCust = tr.At, true
			}
		}
		var touch time.Time
		contacted := false
		for _, a := range l.Activities {
			if a.Actor != "" && !a.At.Before(l.CreatedAt) && (!contacted || a.At.Before(touch)) {
				touch, contacted = a.At, true
			}
		}
		p := month(l.CreatedAt, f.loc)
		var pc int64
		if isCust {
			pc = month(custAt, f.loc)
		}
		for j := 0; j <= len(f.dims); j++ {
			seg := ""
			if j > 0 {
				if f.dims[j-1].lead == nil {
					continue
				}
				seg = f.dims[j-1].lead(l)
			}
			c := f.cell(p, j, seg)
			c.leads++
			if pos >= 1 {
				c.mqls++
			}
			if pos >= 3 {
				c.sqls++
			}
			if isCust && custAt.Sub(l.CreatedAt) <= window {
				c.cohortWon++
			}
			if contacted {
				hist(&c.response, int64(touch.Sub(l.CreatedAt).Round(time.Hour)/time.Hour))
			} else {
				c.uncontacted++
			}
			if isCust {
				c = f.cell(pc, j, seg)
				c.leadsWon++
				hist(&c.purchase, int64(custAt.Sub(l.CreatedAt).Round(time.Hour)/time.Hour))
			}
		}
	}
	for i := range d.Deals {
		dl := &d.Deals[i]
		p := month(dl.CreatedAt, f.loc)
		var pc int64
		if dl.Status != kpi.DealOpen {
			pc = month(dl.ClosedAt, f.loc)
		}
		amt := fa.deals[i]
		for j := 0; j <= len(f.dims); j++ {
			seg := ""
			if j > 0 {
				if f.dims[j-1].deal == nil {
					continue
				}
				seg = f.dims[j-1].deal(dl)
			}
			c := f.cell(p, j, seg)
			c.opps++
			c.pipeline += amt
			switch dl.Status {
			case kpi.DealLost:
				f.cell(pc, j, seg).lost++
			case kpi.DealWon:
				c = f.cell(pc, j, seg)
				c.won++
				c.revenue += amt
				if dl.NewCustomer {
					c.newCustomers++
					c.revenueNew += amt
				}
				hist(&c.cycle, int64(dl.ClosedAt.Sub(dl.CreatedAt).Round(time.Hour)/time.Hour))
			}
		}
	}
	for i := range d.Customers {
		cu := &d.Customers[i]
		f.cell(month(cu.Since, f.loc), 0, "").gained++
		if !cu.ChurnedAt.IsZero() {
			f.cell(month(cu.ChurnedAt, f.loc), 0, "").churned++
		}
	}
	return f
}
