package nunjucks

import (
	"math"
)

// jsRound is Math.round: halves round towards +Infinity.
func jsRound(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	r := math.Floor(f)
	if f-r >= 0.5 {
		r++
	}
	return r
}

// jsPow is the ** operator, which differs from math.Pow for a base of ±1
// and an infinite or NaN exponent.
func jsPow(x, y float64) float64 {
	if math.IsNaN(y) {
		return math.NaN()
	}
	if math.Abs(x) == 1 && math.IsInf(y, 0) {
		return math.NaN()
	}
	return math.Pow(x, y)
}

// toIntegerOrInfinity is ECMAScript's ToIntegerOrInfinity.
func toIntegerOrInfinity(f float64) float64 {
	if math.IsNaN(f) || f == 0 {
		return 0
	}
	return math.Trunc(f)
}

// toUint32 is the >>> 0 conversion.
func toUint32(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return float64(uint32(int64(math.Mod(math.Trunc(f), 4294967296))))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
