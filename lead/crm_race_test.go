package lead_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/leadkit/leadkit/lead"
)

// TestCRMHelpersConcurrent shares one Mapper (with its field reader and
// title classifier) between goroutines and decodes two streams at once;
// run with -race it backs the "safe for concurrent use" in the docs.
func TestCRMHelpersConcurrent(t *testing.T) {
	mp := hubspotMapper(t)
	data := jsonLines(t, 50)
	want, err := mp.Map(2, hubspotRow())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				l, err := mp.Map(2, hubspotRow())
				if err != nil || l.ID != want.ID || len(l.History) != len(want.History) {
					t.Errorf("concurrent Map = %v, %v", l.ID, err)
					return
				}
			}
			n := 0
			for _, err := range lead.DecodeLines(bytes.NewReader(data)) {
				if err != nil {
					t.Error(err)
					return
				}
				n++
			}
			if n != 50 {
				t.Errorf("decoded %d leads, want 50", n)
			}
		}()
	}
	wg.Wait()
}
