package lead

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// TestLeadDecoderTakesCanonicalLines checks that the fast decoder, not
// the encoding/json fallback, decodes what encoding/json writes, so the
// benchmark measures it.
func TestLeadDecoderTakesCanonicalLines(t *testing.T) {
	l := validLead()
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range [][]byte{b, []byte(`{}`), []byte(` { "id" : "x" , "history" : [ ] } `)} {
		var got Lead
		if !(&leadDecoder{}).decode(line, &got) {
			t.Errorf("fast decoder gave up on %s", line)
		}
	}
	for _, line := range []string{`{"ID":"x"}`, `{"id":null}`, `{"id":"a","id":"b"}`, `{"fields":{"a":1},"fields":{"b":2}}`, `{"id":"x"} 1`, `[]`} {
		var got Lead
		if (&leadDecoder{}).decode([]byte(line), &got) {
			t.Errorf("fast decoder accepted %s, which it must leave to encoding/json", line)
		}
	}
}

// FuzzDecodeLines feeds arbitrary bytes to the lead decoder and requires
// that, line by line, it decodes exactly what encoding/json decodes and
// fails exactly where encoding/json fails.
func FuzzDecodeLines(f *testing.F) {
	good, _ := json.Marshal(validLead())
	f.Add(good)
	f.Add([]byte("{}\n\n{\"id\":\"a\\u00e9\\ud800\"}\r\n"))
	f.Add([]byte(`{"id":"x","company":{"employees":-0,"annual_revenue":1e3}}`))
	f.Add([]byte(`{"id":"x","company":{"employees":1.0,"annual_revenue":"-3"}}`))
	f.Add([]byte(`{"fields":{"a":[[[[1]]]],"":null,"b":{"c":"\u0041"}},"history":[{"to":""}],"activities":[{}]}`))
	f.Add([]byte(`{"created_at":"2026-01-05T09:00:00+01:00","history":[],"activities":[{"at":"bad"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// The whole stream: one value or one error per line that is not
		// blank, with a short line limit to exercise the skipping.
		want := 0
		for i, line := range bytes.Split(data, []byte("\n")) {
			line = bytes.TrimSuffix(line, []byte("\r"))
			tooLong := len(line) > 48 // measured before the BOM is dropped
			if i == 0 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			if tooLong || !isBlank(line) { // an over-long line is an error, blank or not
				want++
			}
		}
		type item struct {
			l   Lead
			err string
		}
		var seq []item
		for l, err := range Lines[Lead](bytes.NewReader(data), MaxLineBytes(48)) {
			it := item{l: l}
			if err != nil {
				it.err = err.Error()
			}
			seq = append(seq, it)
		}
		if len(seq) != want {
			t.Fatalf("%d values and errors for %d lines that are not blank", len(seq), want)
		}
		// Parallel decoding yields the same sequence.
		i := 0
		for l, err := range Lines[Lead](bytes.NewReader(data), MaxLineBytes(48), Parallel(2)) {
			if i >= len(seq) {
				t.Fatalf("parallel yields more than %d items", len(seq))
			}
			if (err == nil) != (seq[i].err == "") || (err != nil && err.Error() != seq[i].err) || !reflect.DeepEqual(l, seq[i].l) {
				t.Fatalf("item %d: parallel %#v, %v; sequential %#v, %s", i, l, err, seq[i].l, seq[i].err)
			}
			i++
		}
		if i != len(seq) {
			t.Fatalf("parallel yields %d items, sequential %d", i, len(seq))
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			if isBlank(line) {
				continue
			}
			var want Lead
			wantErr := decodeStd(line, &want, false)
			var got Lead
			gotErr := decodeLine(line, &got, &linesConfig{}, &leadDecoder{})
			if (wantErr == nil) != (gotErr == nil) {
				t.Fatalf("line %q: encoding/json error %v, decoder error %v", line, wantErr, gotErr)
			}
			if wantErr != nil {
				if wantErr.Error() != gotErr.Error() {
					t.Fatalf("line %q: encoding/json error %v, decoder error %v", line, wantErr, gotErr)
				}
				continue
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("line %q:\nencoding/json %#v\ndecoder       %#v", line, want, got)
			}
		}
	})
}
