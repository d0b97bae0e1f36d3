package scoring

import "slices"

// clone returns a deep copy of m: every slice, and every pointer in it,
// is copied, so that editing the copy (or the original) never changes the
// other. A nil slice stays nil and an empty one stays empty, so the copy
// encodes to the same JSON and has the same fingerprint.
func (m Model) clone() Model {
	c := m
	c.Rules = slices.Clone(m.Rules)
	for i := range c.Rules {
		c.Rules[i].Max = clonePtr(c.Rules[i].Max)
		c.Rules[i].Min = clonePtr(c.Rules[i].Min)
		c.Rules[i].Frequency = clonePtr(c.Rules[i].Frequency)
	}
	c.Limits = Limits{Fit: m.Limits.Fit.clone(), Engagement: m.Limits.Engagement.clone(), Total: m.Limits.Total.clone()}
	c.Grades = slices.Clone(m.Grades)
	for i := range c.Grades {
		c.Grades[i].Min = clonePtr(c.Grades[i].Min)
		c.Grades[i].Max = clonePtr(c.Grades[i].Max)
	}
	c.Bands = slices.Clone(m.Bands)
	for i := range c.Bands {
		c.Bands[i].Min = clonePtr(c.Bands[i].Min)
		c.Bands[i].Max = clonePtr(c.Bands[i].Max)
	}
	c.Resets = slices.Clone(m.Resets)
	c.Qualification = slices.Clone(m.Qualification)
	for i := range c.Qualification {
		c.Qualification[i].Criteria = slices.Clone(c.Qualification[i].Criteria)
	}
	c.Personas = slices.Clone(m.Personas)
	return c
}

func (l Limit) clone() Limit { return Limit{Min: clonePtr(l.Min), Max: clonePtr(l.Max)} }

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
