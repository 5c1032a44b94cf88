package nunjucks

import "github.com/callboard/callboard/app/jsnum"

import "unicode/utf8"

// FormatNumber writes a number as JavaScript's String(n) does, for
// packages that reproduce other JavaScript output (JSON.stringify, YAML).
func FormatNumber(f float64) string { return jsnum.Format(f) }

// AppendJSONString appends s quoted as JavaScript's JSON.stringify quotes
// it: quotes, backslashes and control characters escaped, everything else
// as is, and a byte that is not UTF-8 as U+FFFD (a JavaScript string holds
// none). Roadie's actions write JSON with it too.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				// Invalid UTF-8 reads as U+FFFD in JavaScript.
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\b':
			b = append(b, `\b`...)
		case '\f':
			b = append(b, `\f`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 {
				b = append(b, `\u00`...)
				b = append(b, hex[c>>4])
				b = append(b, hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	b = append(b, '"')
	return b
}
