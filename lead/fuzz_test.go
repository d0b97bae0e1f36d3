package lead

import (
	"encoding/json"
	"testing"
)

// FuzzLeadJSON decodes arbitrary bytes as a lead, as a host does with a
// payload it received, and checks that Validate never panics and that a
// decoded lead re-encodes to JSON that decodes to the same encoding.
func FuzzLeadJSON(f *testing.F) {
	good, _ := json.Marshal(validLead())
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"x","created_at":"2026-01-01T00:00:00Z","company":{"employees":-1,"annual_revenue":"-3"}}`))
	f.Add([]byte(`{"fields":{"a":[[[[1]]]],"":null},"history":[{"to":""}],"activities":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l Lead
		if err := json.Unmarshal(data, &l); err != nil {
			return
		}
		_ = l.Validate()
		_ = l.StageAt(l.CreatedAt)
		_, _ = l.EnteredAt(StageMQL)
		b1, err := json.Marshal(l)
		if err != nil {
			t.Fatalf("re-encoding a decoded lead failed: %v", err)
		}
		var back Lead
		if err := json.Unmarshal(b1, &back); err != nil {
			t.Fatalf("decoding our own encoding failed: %v\n%s", err, b1)
		}
		b2, err := json.Marshal(back)
		if err != nil {
			t.Fatal(err)
		}
		if string(b1) != string(b2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", b1, b2)
		}
	})
}
