package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The rows of testdata/Leads.csv, worked by hand (P = converted, N = not):
//
//	row  before model                        shared model
//	t1   6 visits 20, 3.5 pages 10, book 15 = 45 (P)   form 40, reference 30, professional 35, 1000s 10+30 = 145 (P)
//	t2   2 visits, 2 pages, no book, google 10 = 10 (P)   400s 10 = 10 (P)
//	t3   no visits given, olark = 0 (N)              occupation "Select" -15, olark -10 = -25 (N)
//	t4   5 visits 20, book 15 = 35 (N)               950s 10+30, do-not-email -20 = 20 (N)
//	t5   5 visits 20, book 15 = 35 (P)               occupation empty -15, olark -10 = -25 (P)
//	t6   Converted empty: skipped
//
// before: P {45, 10, 35} vs N {0, 35}: 45 beats both (2), 10 beats 0 (1),
// 35 beats 0 and ties 35 (1.5): 4.5 / 6 = 0.75.
// shared: P {145, 10, -25} vs N {-25, 20}: 145 beats both (2), 10 beats
// -25 (1), -25 ties -25 (0.5): 3.5 / 6 = 0.583333.
func TestBacktestOnTestdata(t *testing.T) {
	var out bytes.Buffer
	if err := run("testdata/Leads.csv", true, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Leads   int `json:"leads"`
		Skipped int `json:"skipped"`
		Models  []struct {
			Evaluation struct {
				Leads      int64 `json:"leads"`
				Converted  int64 `json:"converted"`
				AUC        struct{ Value string }
				Thresholds []struct {
					Threshold float64 `json:"threshold"`
					Above     int64   `json:"above"`
					Captured  int64   `json:"captured"`
				} `json:"thresholds"`
			} `json:"evaluation"`
		} `json:"models"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got.Leads != 5 || got.Skipped != 1 || len(got.Models) != 2 {
		t.Fatalf("leads %d, skipped %d, models %d; want 5, 1, 2", got.Leads, got.Skipped, len(got.Models))
	}
	for i, want := range []string{"0.75", "0.583333"} {
		if g := got.Models[i].Evaluation.AUC.Value; g != want {
			t.Errorf("model %d AUC = %s; want %s", i, g, want)
		}
	}
	// shared model, thresholds 10 and 20: >= 10 is {145 P, 10 P, 20 N}
	// (3 leads, 2 converted); >= 20 is {145 P, 20 N} (2, 1).
	th := got.Models[1].Evaluation.Thresholds
	if th[0].Threshold != 10 || th[0].Above != 3 || th[0].Captured != 2 ||
		th[1].Threshold != 20 || th[1].Above != 2 || th[1].Captured != 1 {
		t.Errorf("shared thresholds = %+v", th[:2])
	}
}

func TestBacktestMissingColumns(t *testing.T) {
	_, _, err := readLeads(bytes.NewBufferString("a,b\n1,2\n"))
	if err == nil {
		t.Fatal("a file without the X Education columns was accepted")
	}
}
