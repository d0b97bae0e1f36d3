package leadkit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit"
)

// A definition writes durations the way people do; the value is an
// ordinary time.Duration.
func ExampleDuration() {
	var policy struct {
		Within leadkit.Duration `json:"within"`
	}
	if err := json.Unmarshal([]byte(`{"within": "1.5d"}`), &policy); err != nil {
		panic(err)
	}
	fmt.Println(policy.Within.Std().Hours(), "hours")
	b, _ := json.Marshal(policy)
	fmt.Println(string(b))
	_, err := leadkit.ParseDuration("300000w")
	fmt.Println(errors.Is(err, leadkit.ErrDurationRange))
	// Output:
	// 36 hours
	// {"within":"1d12h"}
	// true
}

func ExamplePeriod() {
	at := time.Date(2026, 3, 29, 15, 0, 0, 0, time.UTC)
	for _, p := range []leadkit.Period{leadkit.Week, leadkit.Quarter} {
		fmt.Println(p, p.Label(at, nil), p.Start(at, nil).Format("2006-01-02"))
	}
	// Output:
	// week 2026-W13 2026-03-23
	// quarter 2026-Q1 2026-01-01
}

// Every Validate returns *leadkit.Error values; a host finds them with
// errors.As and shows the path and position to the person who wrote the
// definition.
func ExampleError() {
	var err error = errors.Join(
		&leadkit.Error{Path: "rules[0].when", Source: "company.employes > 10", Line: 1, Column: 9, Msg: `unknown name "employes"; did you mean "employees"?`},
	)
	var e *leadkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Path, e.Line, e.Column)
		fmt.Println(e)
	}
	// Output:
	// rules[0].when 1 9
	// rules[0].when: unknown name "employes"; did you mean "employees"? (1:9)
	//  | company.employes > 10
	//  | ........^
}
