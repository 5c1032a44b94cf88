package scaffold

import "unicode/utf16"

// Line folding as the `yaml` npm package folds: see foldLines.

func lineLengthOverLimit(s string, lineWidth, indent int) bool {
	if lineWidth <= 0 {
		return false
	}
	limit := lineWidth - indent
	u := utf16.Encode([]rune(s))
	if len(u) <= limit {
		return false
	}
	start := 0
	for i, ch := range u {
		if ch == '\n' {
			if i-start > limit {
				return true
			}
			start = i + 1
			if len(u)-start <= limit {
				return false
			}
		}
	}
	return true
}

const (
	foldFlow = iota
	foldBlock
	foldQuoted
)

// foldLines breaks text at spaces to keep lines within lineWidth, as the
// `yaml` package's foldFlowLines does; positions count UTF-16 units.
// indentAtStart < 0 means the column the text starts at is not known.
func foldLines(text, indent string, mode, indentAtStart, lineWidth, minContentWidth int, overflowed *bool) string {
	if lineWidth <= 0 {
		return text
	}
	if lineWidth < minContentWidth {
		minContentWidth = 0
	}
	t := utf16.Encode([]rune(text))
	n := len(t)
	endStep := max(1+minContentWidth, 1+lineWidth-len(indent))
	if n <= endStep {
		return text
	}
	at := func(i int) int {
		if i >= 0 && i < n {
			return int(t[i])
		}
		return -1
	}
	var folds []int
	escaped := map[int]bool{}
	end := lineWidth - len(indent)
	if indentAtStart >= 0 {
		if indentAtStart > lineWidth-max(2, minContentWidth) {
			folds = append(folds, 0)
		} else {
			end = lineWidth - indentAtStart
		}
	}
	split, prev := -1, -1
	overflow := false
	i, escStart, escEnd := -1, -1, -1
	if mode == foldBlock {
		i = consumeMoreIndented(at, i, len(indent))
		if i != -1 {
			end = i + endStep
		}
	}
	for {
		i++
		ch := at(i)
		if ch < 0 {
			break
		}
		if mode == foldQuoted && ch == '\\' {
			escStart = i
			switch at(i + 1) {
			case 'x':
				i += 3
			case 'u':
				i += 5
			case 'U':
				i += 9
			default:
				i++
			}
			escEnd = i
		}
		if ch == '\n' {
			if mode == foldBlock {
				i = consumeMoreIndented(at, i, len(indent))
			}
			end = i + len(indent) + endStep
			split = -1
		} else {
			if ch == ' ' && prev > 0 && prev != ' ' && prev != '\n' && prev != '\t' {
				if next := at(i + 1); next > 0 && next != ' ' && next != '\n' && next != '\t' {
					split = i
				}
			}
			if i >= end {
				switch {
				case split > 0:
					folds = append(folds, split)
					end = split + endStep
					split = -1
				case mode == foldQuoted:
					for prev == ' ' || prev == '\t' {
						prev = ch
						i++
						ch = at(i)
						overflow = true
					}
					j := escStart - 1
					if i > escEnd+1 {
						j = i - 2
					}
					if escaped[j] {
						return text
					}
					folds = append(folds, j)
					escaped[j] = true
					end = j + endStep
					split = -1
				default:
					overflow = true
				}
			}
		}
		prev = ch
	}
	if overflow && overflowed != nil {
		*overflowed = true
	}
	if len(folds) == 0 {
		return text
	}
	ind := utf16.Encode([]rune(indent))
	res := append([]uint16{}, t[:max(folds[0], 0)]...)
	for k, fold := range folds {
		stop := n
		if k+1 < len(folds) && folds[k+1] != 0 {
			stop = folds[k+1]
		}
		if fold == 0 {
			res = append(append([]uint16{'\n'}, ind...), t[:stop]...)
			continue
		}
		if mode == foldQuoted && escaped[fold] {
			res = append(res, t[fold], '\\')
		}
		res = append(append(append(res, '\n'), ind...), t[fold+1:stop]...)
	}
	return string(utf16.Decode(res))
}

func consumeMoreIndented(at func(int) int, i, indent int) int {
	end, start := i, i+1
	ch := at(start)
	for ch == ' ' || ch == '\t' {
		if i < start+indent {
			i++
			ch = at(i)
			continue
		}
		for {
			i++
			ch = at(i)
			if ch < 0 || ch == '\n' {
				break
			}
		}
		end = i
		start = i + 1
		ch = at(start)
	}
	return end
}

// jsLen is a string's length as JavaScript counts it, in UTF-16 units.
func jsLen(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
