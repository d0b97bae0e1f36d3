package lead_test

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync"
	"testing"

	"github.com/leadkit/leadkit/internal/sample"
	"github.com/leadkit/leadkit/lead"
)

// sampleLines returns n generated leads as JSON lines, made once per
// size and shared by the benchmarks of one run.
var sampleLines = sync.OnceValue(func() map[int][]byte { return map[int][]byte{} })

var sampleMu sync.Mutex

func jsonLines(tb testing.TB, n int) []byte {
	tb.Helper()
	sampleMu.Lock()
	defer sampleMu.Unlock()
	if b, ok := sampleLines()[n]; ok {
		return b
	}
	ds, err := sample.Generate(sample.Config{Seed: 16, Leads: n})
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range ds.Leads {
		if err := enc.Encode(&ds.Leads[i]); err != nil {
			tb.Fatal(err)
		}
	}
	sampleLines()[n] = buf.Bytes()
	return buf.Bytes()
}

// BenchmarkDecodeLines compares DecodeLines with the encoding/json
// baseline a host writes (a json.Decoder over the same bytes, unknown
// fields refused), on 100k generated leads and on 1M (the 100k repeated
// ten times: the decoders do not look at ids). Compare MB/s and leads/s;
// the 1M size needs about 2 GB and is skipped with -short.
func BenchmarkDecodeLines(b *testing.B) {
	for _, size := range []struct {
		name   string
		repeat int
	}{{"100k", 1}, {"1M", 10}} {
		b.Run(size.name, func(b *testing.B) {
			if size.repeat > 1 && testing.Short() {
				b.Skip("1M leads: not with -short")
			}
			benchmarkDecodeLines(b, bytes.Repeat(jsonLines(b, 100_000), size.repeat), 100_000*size.repeat)
		})
	}
}

func benchmarkDecodeLines(b *testing.B, data []byte, n int) {
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			count := 0
			for dec.More() {
				var l lead.Lead
				if err := dec.Decode(&l); err != nil {
					b.Fatal(err)
				}
				count++
			}
			if count != n {
				b.Fatalf("decoded %d leads, want %d", count, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "leads/s")
	})
	b.Run("DecodeLines", func(b *testing.B) { decodeLinesLoop(b, data, n) })
	// Parallel(GOMAXPROCS): the loop's share of the work is what is left
	// on its path; on a machine with few cores the reader, the workers
	// and the loop share them.
	b.Run("DecodeLines_parallel", func(b *testing.B) { decodeLinesLoop(b, data, n, lead.Parallel(runtime.GOMAXPROCS(0))) })
}

func decodeLinesLoop(b *testing.B, data []byte, n int, opts ...lead.LinesOption) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range lead.DecodeLines(bytes.NewReader(data), opts...) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("decoded %d leads, want %d", count, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "leads/s")
}
