package scoring

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// fill sets every field reachable from v to a non-zero value that depends
// on a counter, so that two fills give equal, independent values. Slices
// get two elements and pointers a fresh target, so a field added to Model
// later is covered without changing this test; a kind fill does not know
// fails the test, so that it is taught rather than silently skipped.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, n)
			fill(t, e, n)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), n)
		}
	default:
		t.Fatalf("fill: teach me %s", v.Type())
	}
}

// mutate changes every leaf reachable from v in place, through pointers,
// slice elements and map entries: what a careless caller does to a copy
// it believes is its own.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1000)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1000)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1000)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutate(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			mutate(v.Field(i))
		}
	}
}

func filledModel(t *testing.T) Model {
	t.Helper()
	var m Model
	n := 0
	fill(t, reflect.ValueOf(&m).Elem(), &n)
	return m
}

func TestModelCloneIsDeep(t *testing.T) {
	orig, want := filledModel(t), filledModel(t)
	if !reflect.DeepEqual(orig, want) {
		t.Fatal("fill is not deterministic")
	}
	c := orig.clone()
	if !reflect.DeepEqual(c, orig) {
		t.Fatalf("clone differs from the original:\n%+v\n%+v", c, orig)
	}
	mutate(reflect.ValueOf(&c).Elem())
	if reflect.DeepEqual(c, want) {
		t.Fatal("mutate changed nothing: the test cannot fail")
	}
	if !reflect.DeepEqual(orig, want) {
		t.Errorf("editing the clone changed the original:\n got %+v\nwant %+v", orig, want)
	}
	// And the other way: editing the original leaves an earlier clone alone.
	c2 := orig.clone()
	mutate(reflect.ValueOf(&orig).Elem())
	if !reflect.DeepEqual(c2, want) {
		t.Errorf("editing the original changed the clone:\n got %+v\nwant %+v", c2, want)
	}
}

func TestModelCloneKeepsJSONAndFingerprint(t *testing.T) {
	tests := []struct {
		name string
		m    Model
	}{
		{"zero", Model{}},
		{"empty, not nil, slices", Model{Rules: []Rule{}, Grades: []GradeBand{}, Qualification: []QualificationStage{{Stage: "mql", Criteria: []Criterion{}}}}},
		{"filled", filledModel(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := json.Marshal(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(tt.m.clone())
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != string(b) {
				t.Errorf("clone encodes differently:\n%s\n%s", a, b)
			}
			if fingerprint(tt.m) != fingerprint(tt.m.clone()) {
				t.Error("clone has another fingerprint")
			}
		})
	}
}
