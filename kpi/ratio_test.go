package kpi

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestRatio(t *testing.T) {
	tests := []struct {
		name    string
		r       Ratio
		defined bool
		value2  string // Value(2)
		pct1    string // Percent(1)
		str     string
		f       float64
	}{
		// 1/3 = 0.3333..., to 2 places 0.33; 100/3 = 33.33... -> 33.3
		{"one third", RatioOf(1, 3), true, "0.33", "33.3", "0.3333", 1.0 / 3},
		// 2/3 = 0.6666... rounds half away from zero -> 0.67; 66.66.. -> 66.7
		{"two thirds", RatioOf(2, 3), true, "0.67", "66.7", "0.6667", 2.0 / 3},
		// 1/8 = 0.125: half rounds away from zero -> 0.13; 12.5 exactly
		{"half rounds away from zero", RatioOf(1, 8), true, "0.13", "12.5", "0.1250", 0.125},
		// 5/4 = 1.25: ratios may exceed 1 (a period rate can)
		{"above one", RatioOf(5, 4), true, "1.25", "125.0", "1.2500", 1.25},
		// 0/7 = 0: a defined zero is not undefined
		{"defined zero", RatioOf(0, 7), true, "0.00", "0.0", "0.0000", 0},
		// -1/4 = -0.25 (a negative ROI)
		{"negative", RatioOf(-1, 4), true, "-0.25", "-25.0", "-0.2500", -0.25},
		// money: 1234.56 / 100 = 12.3456 -> 12.35; 1234.56
		{"decimal", NewRatio(dec("1234.56"), dec("100")), true, "12.35", "1234.6", "12.3456", 12.3456},
		{"zero denominator", RatioOf(5, 0), false, "", "", "n/a", 0},
		{"zero value", Ratio{}, false, "", "", "n/a", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Defined(); got != tt.defined {
				t.Fatalf("Defined() = %v; want %v", got, tt.defined)
			}
			v, err := tt.r.Value(2)
			p, perr := tt.r.Percent(1)
			f, ok := tt.r.Float64()
			if !tt.defined {
				if !errors.Is(err, ErrUndefined) || !errors.Is(perr, ErrUndefined) || ok {
					t.Errorf("undefined ratio: Value err %v, Percent err %v, Float64 ok %v", err, perr, ok)
				}
			} else {
				if err != nil || v.StringFixed(2) != tt.value2 {
					t.Errorf("Value(2) = %v, %v; want %s", v, err, tt.value2)
				}
				if perr != nil || p.StringFixed(1) != tt.pct1 {
					t.Errorf("Percent(1) = %v, %v; want %s", p, perr, tt.pct1)
				}
				if !ok || f-tt.f > 1e-12 || tt.f-f > 1e-12 {
					t.Errorf("Float64() = %v, %v; want %v", f, ok, tt.f)
				}
			}
			if got := tt.r.String(); got != tt.str {
				t.Errorf("String() = %q; want %q", got, tt.str)
			}
			if got := fmt.Sprint(tt.r); got != tt.str {
				t.Errorf("Sprint = %q; want %q", got, tt.str)
			}
		})
	}
}

func TestRatioFormat(t *testing.T) {
	// 2/3 to 1 place is 0.7; the default %f precision is 6: 0.666667
	if got := fmt.Sprintf("%.1f|%f|%.2f", RatioOf(2, 3), RatioOf(2, 3), RatioOf(1, 0)); got != "0.7|0.666667|n/a" {
		t.Errorf("got %q", got)
	}
}

func TestRatioAdd(t *testing.T) {
	// Segment A converts 1 of 2 (50%), segment B 1 of 8 (12.5%). Together
	// they convert 2 of 10 = 20%, not the 31.25% average of the percentages.
	got := RatioOf(1, 2).Add(RatioOf(1, 8))
	if v, _ := got.Value(4); !v.Equal(dec("0.2")) {
		t.Errorf("Add = %v; want 0.2000", got)
	}
	// Adding an undefined ratio (0/0) is the identity.
	if got := RatioOf(3, 4).Add(Ratio{}); got.String() != "0.7500" {
		t.Errorf("Add(zero) = %v; want 0.7500", got)
	}
}

func TestRatioJSON(t *testing.T) {
	tests := []struct {
		r    Ratio
		want string
	}{
		// 3/8 = 0.375 exactly
		{RatioOf(3, 8), `{"num":"3","den":"8","value":"0.375"}`},
		// 1/3 to 6 places, half away from zero: 0.333333
		{RatioOf(1, 3), `{"num":"1","den":"3","value":"0.333333"}`},
		{RatioOf(1, 0), `{"num":"1","den":"0","value":null}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.r)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.r, b, err, tt.want)
		}
		var back Ratio
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !back.Num.Equal(tt.r.Num) || !back.Den.Equal(tt.r.Den) {
			t.Errorf("round trip of %s gave %v/%v", b, back.Num, back.Den)
		}
	}
	var r Ratio
	if err := json.Unmarshal([]byte(`{"num":"x"}`), &r); err == nil {
		t.Error("bad JSON decoded without error")
	}
}
