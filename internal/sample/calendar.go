package sample

// Internally all times are Unix seconds in UTC; the helpers below place
// sales work on the business calendar described at WorkdayStart.

const (
	secDay   = 24 * 60 * 60
	secHour  = 60 * 60
	workFrom = WorkdayStart * secHour // seconds after midnight
	workTo   = WorkdayEnd * secHour
	workLen  = workTo - workFrom // working seconds per working day
)

// floorDiv returns ⌊a/b⌋ for b > 0, also for negative a.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// weekday returns the day of the week of Unix day d, 0 for Sunday as in
// time.Weekday. Day 0, 1970-01-01, was a Thursday.
func weekday(d int64) int64 {
	w := (d + 4) % 7
	if w < 0 {
		w += 7
	}
	return w
}

// isWorkday reports whether Unix day d is a Monday to Friday.
func isWorkday(d int64) bool {
	w := weekday(d)
	return w >= 1 && w <= 5
}

// nextWorking returns the first working instant at or after s.
func nextWorking(s int64) int64 {
	d := floorDiv(s, secDay)
	if isWorkday(d) {
		tod := s - d*secDay
		if tod < workFrom {
			return d*secDay + workFrom
		}
		if tod < workTo {
			return s
		}
	}
	d++
	for !isWorkday(d) {
		d++
	}
	return d*secDay + workFrom
}

// addWorking returns the instant that lies w ≥ 0 working seconds after s
// on the business calendar. The result is always inside working hours
// (a working day's end counts as the next working day's start).
func addWorking(s, w int64) int64 {
	s = nextWorking(s)
	for {
		d := floorDiv(s, secDay)
		rem := d*secDay + workTo - s
		if w < rem {
			return s + w
		}
		w -= rem
		s = nextWorking(d*secDay + workTo)
		// s is now the start of a working day: five working days of
		// working time from it end at the same weekday a week later.
		if weeks := w / (5 * workLen); weeks > 0 {
			s += weeks * 7 * secDay
			w -= weeks * 5 * workLen
		}
	}
}
