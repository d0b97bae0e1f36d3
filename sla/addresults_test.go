package sla

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/leadkit/leadkit/lead"
)

// TestAddResultsIsAddAndCheck checks AddResults against its two
// definitions, independently computed: the state it builds is the one
// Add builds (the same report, byte for byte), and the results it
// appends are Check's as of the accumulator's as-of, without trails.
func TestAddResultsIsAddAndCheck(t *testing.T) {
	leads := contractLeads(t)
	for _, c := range []struct {
		name string
		a    Agreement
	}{
		{"contract", contractAgreement(3)},
		{"follow-up", followUpAgreement(5)}, // next_response: several results per lead
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := MustCompile(c.a)
			viaAdd, viaResults := ch.NewCompliance(contractAsOf), ch.NewCompliance(contractAsOf)
			var dst []Result
			counted := 0
			for i := range leads {
				l := &leads[i]
				if err := viaAdd.Add(l); err != nil {
					t.Fatal(err)
				}
				before := len(dst)
				var err error
				if dst, err = viaResults.AddResults(dst, l, nil); err != nil {
					t.Fatal(err)
				}
				got := dst[before:]
				var want []Result
				if !l.CreatedAt.After(contractAsOf) { // later leads are skipped: no results
					if want, err = ch.Check(l, contractAsOf); err != nil {
						t.Fatal(err)
					}
					for k := range want {
						want[k].Trail = nil
					}
				}
				if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
					t.Fatalf("lead %s: AddResults gave %+v, Check %+v", l.ID, got, want)
				}
				counted += len(want)
			}
			if len(dst) != counted || counted == 0 {
				t.Fatalf("%d results appended, %d from Check", len(dst), counted)
			}
			r1, err := viaAdd.Report()
			if err != nil {
				t.Fatal(err)
			}
			r2, err := viaResults.Report()
			if err != nil {
				t.Fatal(err)
			}
			j1, _ := json.Marshal(r1)
			j2, _ := json.Marshal(r2)
			if !bytes.Equal(j1, j2) {
				t.Fatal("AddResults built a different report from Add")
			}
		})
	}
}

// TestAddResultsErrors checks that a refused lead leaves dst and the
// accumulator as they were.
func TestAddResultsErrors(t *testing.T) {
	a := sampleAgreement()
	a.Policies = append(a.Policies, Policy{Name: "hot", Kind: KindResponse, Within: hours(2), Segment: `fit > 70`})
	ch := MustCompile(a)
	c := ch.NewCompliance(contractAsOf)
	keep := []Result{{LeadID: "kept"}}
	// The first lead the plain agreement judges: its segments are
	// evaluated.
	var l *lead.Lead
	plain := MustCompile(sampleAgreement())
	for i := range contractLeads(t) {
		if rs, err := plain.Check(&contractLeads(t)[i], contractAsOf); err == nil && len(rs) > 0 {
			l = &contractLeads(t)[i]
			break
		}
	}
	for _, tc := range []struct {
		name string
		l    *lead.Lead
		sc   *Scores
	}{
		{"nil lead", nil, nil},
		{"segment names a score, none given", l, nil},
	} {
		got, err := c.AddResults(keep, tc.l, tc.sc)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if len(got) != 1 || got[0].LeadID != "kept" {
			t.Errorf("%s: dst changed to %+v", tc.name, got)
		}
	}
	r, err := c.Report()
	if err != nil {
		t.Fatal(err)
	}
	if r.Leads != 0 || r.Skipped != 0 {
		t.Errorf("refused leads were counted: %d leads, %d skipped", r.Leads, r.Skipped)
	}
	// With scores the same lead is judged, and the hot policy sees them.
	got, err := c.AddResults(nil, l, &Scores{Fit: 90})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ch.CheckScored(l, Scores{Fit: 90}, contractAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		want[k].Trail = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scored: %+v, CheckScored %+v", got, want)
	}
	var zero Compliance
	if _, err := zero.AddResults(nil, l, nil); err == nil {
		t.Error("zero Compliance accepted a lead")
	}
}
