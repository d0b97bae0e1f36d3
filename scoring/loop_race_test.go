package scoring

import (
	"encoding/json"
	"sync"
	"testing"
)

// TestLoopConcurrent runs Learn, Compare, Replay and Recommend from
// several goroutines over shared scorers and one shared outcome slice;
// run with -race. Every goroutine must get the same answers.
func TestLoopConcurrent(t *testing.T) {
	data := knownLeads(600, 9)
	champion := MustCompile(Model{Rules: []Rule{{Name: "a", When: "fields.a == true", Points: 10}}})
	var wg sync.WaitGroup
	results := make([]string, 4)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := Learn(data, LearnOptions{Rules: knownRules, Folds: 2, Lambdas: []float64{0.01}})
			if err != nil {
				t.Error(err)
				return
			}
			c, err := Compare(champion, MustCompile(l.Model), data, CompareOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			h, err := countScorer.Replay(data[g].Lead, learnT0)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := json.Marshal([]any{l, c.Difference, c.Changed, len(h.Steps)})
			results[g] = string(b)
		}()
	}
	wg.Wait()
	for _, r := range results[1:] {
		if r != results[0] {
			t.Fatal("goroutines disagree")
		}
	}
}
